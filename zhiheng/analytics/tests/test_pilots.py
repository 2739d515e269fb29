"""The pilot flag is data (R-PIL-1, decision 0026): analytics' pilot-vs-non-pilot comparison follows the
units of the district's pilot programme — change the programme's units and the comparison changes, in the
selectors and in the API (whose figures are cached under the ledger's version)."""

from __future__ import annotations

from zhiheng.analytics import selectors as s
from zhiheng.org.tests.factories import UnitFactory
from zhiheng.pilots import services as pilots

from .test_selectors import ALL

BEFORE_AFTER = "/api/v1/analytics/before-after"


def _flags(api, aw) -> dict[str, bool]:
    r = api.as_(aw.admin).get(BEFORE_AFTER, {"district": "testdistrict"})
    assert r.status_code == 200
    return {i["unit"]: i["pilot"] for i in r.json()["items"]}


def test_changing_the_programmes_units_changes_the_comparison(aw, api_client):
    units = [aw.unit, aw.other_unit]
    before = s.before_after(units, ALL)
    (_u, _r, mine), (_o, _or, theirs) = before.per_unit
    assert (before.pilot, before.non_pilot, before.pilots) == (mine, theirs, frozenset({aw.unit.pk}))
    assert _flags(api_client, aw) == {"t-unit": True, "t-other": False}
    # The commission swaps the pilot unit before formal implementation (a third unit stays outside).
    UnitFactory(code="t-third", district=aw.district)
    pilots.add_unit(by=aw.admin, programme=aw.pilot, unit=aw.other_unit)
    pilots.remove_unit(by=aw.admin, programme=aw.pilot, unit=aw.unit)
    after = s.before_after(units, ALL)
    assert (after.pilot, after.non_pilot, after.pilots) == (theirs, mine, frozenset({aw.other_unit.pk}))
    assert _flags(api_client, aw)["t-unit"] is False and _flags(api_client, aw)["t-other"] is True
