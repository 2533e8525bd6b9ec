"""Multi-select buttons carry the state their label offered, so pressing one twice (a
double tap, or an update run again after a crash) leaves the same answer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from awardbot.workflow.intake.model import set_toggle


@given(st.sets(st.integers(1, 8)), st.integers(1, 8), st.sampled_from(["on", "off"]))
def test_a_press_repeated_changes_nothing_more(chosen: set[int], item: int, wanted: str) -> None:
    once = set_toggle(chosen, item, wanted)
    assert set_toggle(once, item, wanted) == once
    assert (item in once) == (wanted == "on")
    assert once - {item} == chosen - {item}


def test_an_old_button_without_a_state_flips() -> None:
    assert set_toggle({1, 2}, 2, "") == {1}
    assert set_toggle({1}, 2, "") == {1, 2}
