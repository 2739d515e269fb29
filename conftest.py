"""Named personas, so permission tests read like policy.

`world` is one district with one unit and its whole cast, plus people who must NOT see it:
    admin          commission admin of the unit's district
    other_admin    commission admin of another district
    principal      一把手 of the unit
    deputy         副职 #1 (the deputy in charge of finance in tests that need a plan)
    deputy2        副职 #2
    deputy3        副职 #3
    inspector      纪检组长
    staff          经办人 #1 (the usual submitter)
    staff2         经办人 #2
    outsider       a person with no role anywhere
    other_unit     a second unit in the same district, with its own principal `other_principal`
Terms start on 2012-01-01, so any date in 2012 or later sees the whole team.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from zhiheng.org.tests.factories import (
    DistrictFactory,
    DistrictRoleFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
)

# Every property is judged on what it finds, never on how fast the machine is: the suite shares two cores
# with the PostgreSQL proofs and the browser, and a pure property once failed hypothesis's too_slow check
# under that load. Tests that need other settings still set them on themselves.
hypothesis_settings.register_profile(
    "zhiheng", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
hypothesis_settings.load_profile("zhiheng")

TERM_START = dt.date(2012, 1, 1)


def build_world() -> SimpleNamespace:
    district = DistrictFactory(code="testdistrict", name="测试区")
    far_district = DistrictFactory(code="fardistrict", name="远方区")
    unit = UnitFactory(code="t-unit", name="测试局", district=district)
    other_unit = UnitFactory(code="t-other", name="另一局", district=district)
    w = SimpleNamespace(district=district, far_district=far_district, unit=unit, other_unit=other_unit)
    cast = [
        ("principal", "principal", "局长", "张一把"),
        ("deputy", "deputy", "副局长（分管财务）", "李副甲"),
        ("deputy2", "deputy", "副局长", "王副乙"),
        ("deputy3", "deputy", "副局长", "赵副丙"),
        ("inspector", "inspector", "纪检组长", "陈纪检"),
        ("staff", "staff", "科员", "刘经办"),
        ("staff2", "staff", "科员", "周经办"),
    ]
    for attr, role, title, name in cast:
        person = PersonFactory(username=f"t-{attr}", name=name)
        MembershipFactory(person=person, unit=unit, role=role, title=title, start=TERM_START)
        setattr(w, attr, person)
    w.other_principal = PersonFactory(username="t-other-principal", name="孙他局")
    MembershipFactory(person=w.other_principal, unit=other_unit, role="principal", start=TERM_START)
    w.admin = PersonFactory(username="t-admin", name="纪委管理员")
    DistrictRoleFactory(person=w.admin, district=district, role="commission_admin", start=TERM_START)
    w.other_admin = PersonFactory(username="t-far-admin", name="外区管理员")
    DistrictRoleFactory(
        person=w.other_admin, district=far_district, role="commission_admin", start=TERM_START
    )
    w.outsider = PersonFactory(username="t-outsider", name="局外人")
    return w


# One of each kind of reader the world holds, for tests that check a read against its rule per persona.
READERS = ("admin", "inspector", "principal", "deputy", "staff", "outsider", "other_admin", "other_principal")


@pytest.fixture
def world(db) -> SimpleNamespace:
    return build_world()


@pytest.fixture
def api_client(client):
    """A Django test client with helpers for bearer-token calls: api_client.as_(person).get(...)."""
    from zhiheng.accounts.services import issue_token
    from zhiheng.org.tests.factories import PASSWORD

    class Api:
        def __init__(self, token: str | None = None):
            self.token = token

        def as_(self, person) -> Api:
            return Api(issue_token(username=person.username, password=PASSWORD))

        def _headers(self, extra):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
            for key, value in (extra or {}).items():
                headers["HTTP_" + key.upper().replace("-", "_")] = value
            return headers

        def get(self, path, params=None, headers=None):
            return client.get(path, params or {}, **self._headers(headers))

        def post(self, path, data=None, headers=None):
            return client.post(path, data or {}, content_type="application/json", **self._headers(headers))

        def put(self, path, data=None, headers=None):
            return client.put(path, data or {}, content_type="application/json", **self._headers(headers))

        def post_raw(self, path, body: str, headers=None):
            return client.post(path, body, content_type="application/json", **self._headers(headers))

    return Api()


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in zh-Hans: a request in English activates English for the whole thread, and the
    next test on that worker would otherwise render its labels in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: tests roll their database back, so a later test can meet an
    earlier one's cached figures under the same key (and rate-limit windows must not carry over)."""
    from django.core.cache import cache

    cache.clear()
    yield


def pytest_collection_modifyitems(config, items):
    """Every test that lays the demo down runs on one worker (the Makefile's `--dist loadgroup`). The demo is
    built once per process and day (zhiheng/demo/tests/snapshot.py): one to three minutes, and twice that on
    PostgreSQL; spread over two workers, each would build it."""
    demo = pytest.mark.xdist_group("demo")
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and (
            module.__name__.startswith("zhiheng.demo.tests.") or hasattr(module, "restore_demo")
        ):
            item.add_marker(demo)
