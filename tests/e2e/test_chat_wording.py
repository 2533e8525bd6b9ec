"""Small things a reader notices: a draft not yet chosen, a name said twice, a line that
does not apply shown with a dash."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Harness
from tests.e2e.evaluation_fixtures import add_checked, add_round, group_bureau
from tests.e2e.intake_fixtures import PNG, bureau, open_rounds, press, say, submit


@pytest.fixture
async def ready(harness: Harness) -> Harness:
    await bureau(harness)
    await open_rounds(harness)
    return harness


async def test_a_draft_without_a_nominee_reads_as_not_chosen(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8801)
    await say(ready, liu, "/apply")
    await press(ready, liu, "申报最美政务人")
    await say(ready, liu, "/cancel")
    listing = (await say(ready, liu, "/mydrafts")).text or ""
    assert listing.startswith("草稿｜最美政务人\n"), listing
    assert "对象：（尚未选择）" in listing
    assert "—" not in listing


async def test_a_window_is_named_once_and_shows_no_empty_lines(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8802)
    await say(ready, liu, "/apply")
    await press(ready, liu, "申报最美政务窗口")
    await press(ready, liu, "综合受理窗口")
    await press(ready, liu, "否")  # no accident
    await say(ready, liu, "0")  # staffing violations
    for count in ("10", "0", "0", "0", "0"):  # ratings, very satisfied … dissatisfied
        await say(ready, liu, count)
    await say(ready, liu, "100")  # case volume
    for _question in ("honours", "reports", "leader visits", "key work"):
        await press(ready, liu, "否")
    await liu.send_photo(PNG)
    await liu.wait_for_bot(2)
    preview = (await press(ready, liu, "完成上传 ✅")).text or ""
    assert "申报预览" in preview
    assert "符合条件" not in preview and "事迹" not in preview, preview
    receipt = (await submit(ready, liu)).text or ""
    ref = receipt.split("编号：")[1].split("（")[0]
    listing = (await say(ready, liu, "/mynominations")).text or ""
    assert listing.startswith(f"{ref}｜最美政务窗口\n"), listing
    assert "最美政务窗口·最美政务窗口" not in listing


async def test_a_hall_on_the_score_card_is_not_its_own_unit(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    round_id = await add_round(ev.sessions, "hall", "2026")
    await add_checked(ev.sessions, round_id, "DT-2026-0001", "hall", applicant=ids["P1"],
                      unit=ids["H1"], facts={"onboarding_rate": "96.5", "guide_accuracy": "98"})
    e01 = await ev.bound_person("E01", 9001)
    card = (await say(ev, e01, "/score", expect="DT-2026-0001")).text or ""
    assert "对象：周庄分中心大厅\n" in card, card
    assert "周庄分中心大厅（周庄分中心大厅）" not in card
    assert "申报条件" not in card
