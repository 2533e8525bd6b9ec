"""Every press gets an answer: forged data with an id too large for the database, or of a
kind no feature knows, is answered as a stale button — never the generic error, never a
spinner left spinning — and changes nothing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import bureau, open_rounds

HUGE = "99999999999999999999"  # 20 digits: over 64 bits
FORGED = [
    f"rv:{HUGE}:d0:ok", f"hi:{HUGE}", f"ap:{HUGE}:1:next", f"ar:{HUGE}", f"rq:{HUGE}",
    f"sc:v:{HUGE}:0:8", f"sc:ab:{HUGE}", f"sl:cl:{HUGE}", f"dc:r:{HUGE}", f"dr:{HUGE}:resume",
    f"mn:{HUGE}:withdraw", f"nm:{HUGE}:decline", f"rd:{HUGE}:ext", f"rx:{HUGE}:cancel",
    f"svb:{HUGE}:0", f"svv:{HUGE}:1:satisfied", f"sa:so:{HUGE}", f"pbp:{HUGE}",
    f"pbc:{HUGE}:go", f"obs:{HUGE}", f"obn:{HUGE}", f"obd:{HUGE}:submit",
    f"obr:{HUGE}:uphold", f"bc:{HUGE}:go", "zz:1", "nonsense",
]


@pytest.fixture
async def admin(harness: Harness):  # type: ignore[no-untyped-def]
    await bureau(harness)
    await open_rounds(harness)
    from tests.factories import add_staff, add_unit

    office = await add_unit(harness.sessions, "BG1", "办公室", kind="section")
    await add_staff(harness.sessions, "A01", "管理员", office,
                    roles=("admin", "supervision", "eval_leader", "leader"))
    person = await harness.bound_person("A01", 8801)
    await person.send_text("/help")
    await person.wait_for_bot(1, timeout=30)
    return person


@pytest.mark.parametrize("data", FORGED)
async def test_a_forged_press_is_answered_as_stale(admin, data: str) -> None:  # type: ignore[no-untyped-def]
    await admin.press_data(data)
    answer = await admin.wait_for_toast(timeout=30)
    assert "抱歉，处理您的请求时出现了问题" not in (answer.get("text") or "")
    assert answer.get("text"), answer  # it says why (stale, or not allowed)
