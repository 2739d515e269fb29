import datetime as dt

import pytest

from zhiheng.core import clock


def test_now_is_aware_and_in_shanghai():
    now = clock.now()
    assert now.tzinfo is not None
    assert now.utcoffset() == dt.timedelta(hours=8)


def test_frozen_nests_and_restores():
    outer = dt.datetime(2012, 3, 1, 9, tzinfo=clock.SHANGHAI)
    inner = dt.datetime(2010, 2, 23, 23, 30, tzinfo=clock.SHANGHAI)
    with clock.frozen(outer):
        with clock.frozen(inner):
            assert clock.today() == dt.date(2010, 2, 23)
        assert clock.now() == outer
    assert clock.now() != outer


def test_local_date_uses_shanghai_not_utc():
    late_utc = dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC)  # 01:00 on 1 April in Shanghai
    assert clock.local_date(late_utc) == dt.date(2026, 4, 1)


def test_frozen_refuses_naive():
    with pytest.raises(ValueError), clock.frozen(dt.datetime(2012, 1, 1)):
        pass
