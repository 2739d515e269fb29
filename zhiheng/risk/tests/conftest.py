"""The matters world (zhiheng/matters/tests/conftest.py) for the red flags that judge matters."""

import pytest

from zhiheng.matters.tests.conftest import at_day, build_matters_world  # noqa: F401  fixtures
from zhiheng.risk import redflags


@pytest.fixture
def mw(world, at_day):  # noqa: F811
    return build_matters_world(world)


@pytest.fixture
def probe():
    """A handler subscribed to "ledger.note" for one test: the entries it received."""
    from zhiheng.ledger import dispatch

    received = []
    dispatch.subscribe("ledger.note", received.append, name="test.probe")
    yield received
    dispatch.unsubscribe("ledger.note", "test.probe")


@pytest.fixture(autouse=True)
def _red_flags_installed():
    redflags.install()  # idempotent; a test that unsubscribed something gets it back
