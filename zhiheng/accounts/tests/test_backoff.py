"""The throttling arithmetic (issue 10), without a database."""

import datetime as dt

import pytest

from zhiheng.accounts import backoff
from zhiheng.core import clock

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=clock.SHANGHAI)


def test_free_failures_then_doubling_delays_up_to_the_cap():
    limit = backoff.Limit(free=5)
    assert [limit.delay_after(n) for n in range(0, 12)] == [0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32]
    assert limit.delay_after(15) == 512
    assert limit.delay_after(16) == limit.max_delay == 900
    assert limit.delay_after(10_000) == 900


def test_the_documented_limits():
    assert (backoff.PAIR.free, backoff.ACCOUNT.free, backoff.ADDRESS.free) == (5, 10, 30)
    assert {backoff.PAIR.max_delay, backoff.ACCOUNT.max_delay, backoff.ADDRESS.max_delay} == {900}


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("10.1.2.3", "10.1.2.3"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:10.1.2.3", "10.1.2.3"),
        ("", "-"),
        (None, "-"),
        ("not an address", "-"),
    ],
)
def test_network_key(address, key):
    assert backoff.network_key(address) == key


def test_client_address_believes_only_trusted_proxies():
    proxies = frozenset({"10.0.0.1"})
    # Not from our proxy: whatever X-Forwarded-For says is ignored.
    assert backoff.client_address("10.9.9.9", "1.2.3.4", proxies) == "10.9.9.9"
    # From our proxy: the right-most hop it did not add itself.
    assert backoff.client_address("10.0.0.1", "6.6.6.6, 10.2.3.4", proxies) == "10.2.3.4"
    assert backoff.client_address("10.0.0.1", "10.2.3.4, 10.0.0.1", proxies) == "10.2.3.4"
    assert backoff.client_address("10.0.0.1", "", proxies) == "10.0.0.1"
    assert backoff.client_address("10.0.0.1", "garbage", proxies) == "10.0.0.1"


def test_counters_are_forgotten_after_a_quiet_day():
    assert backoff.current_failures(7, T0, T0 + dt.timedelta(hours=23)) == 7
    assert backoff.current_failures(7, T0, T0 + backoff.FORGET_AFTER) == 0
    assert backoff.current_failures(7, None, T0) == 0


def test_retry_after_rounds_up_and_is_at_least_one_second():
    assert backoff.retry_after_seconds(T0 + dt.timedelta(seconds=1.2), T0) == 2
    assert backoff.retry_after_seconds(T0 + dt.timedelta(seconds=4), T0) == 4
    assert backoff.retry_after_seconds(T0, T0) == 1
