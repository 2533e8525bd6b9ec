"""Telegram's limits as the sender keeps them, on a clock the test moves."""

from __future__ import annotations

from awardbot.bot.sender.outcome import backoff_s
from awardbot.bot.sender.pace import ChatPacer, FloodDetector


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_groups_get_their_per_minute_share_and_people_their_interval() -> None:
    clock = FakeClock()
    chats = ChatPacer(1.0, 20, clock=clock)
    chats.spent(7)
    chats.spent(-100, count=2)  # an album of two counts twice in a group
    assert chats.cooling() == {7, -100}
    clock.now += 1.0
    assert chats.cooling() == {-100}
    clock.now += 5.0
    assert chats.cooling() == set()


def test_a_429_holds_the_chat_for_retry_after() -> None:
    clock = FakeClock()
    chats = ChatPacer(1.0, 20, clock=clock)
    chats.hold(7, 30)
    clock.now += 29
    assert chats.cooling() == {7}


def test_scattered_429s_are_not_a_flood_but_a_storm_is() -> None:
    clock = FakeClock()
    floods = FloodDetector(clock=clock)
    for i in range(300):  # 5% of a busy second
        clock.now += 1 / 300
        assert not floods.record(i % 20 == 0)
    storm = [floods.record(True) for _ in range(100)]
    assert not storm[0]
    assert storm[-1]


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [backoff_s(n, base_s=1, cap_s=5) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 5, 5]
