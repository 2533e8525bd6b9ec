"""Binding, strangers, help, language and the command menu — as a person uses them."""

from __future__ import annotations

import pytest
from telegram import Update

from tests.e2e.conftest import Harness
from tests.factories import add_staff, add_unit


@pytest.fixture
async def roster(harness: Harness) -> Harness:
    unit = await add_unit(harness.sessions, "W01", "不动产登记窗口")
    await add_staff(harness.sessions, "S001", "张三", unit, roles=("leader",))
    await add_staff(harness.sessions, "S002", "李四", unit)
    await add_staff(harness.sessions, "S003", "王五", unit, roles=("evaluator", "admin"))
    return harness


async def test_invite_link_binds_and_shows_the_menu(roster: Harness) -> None:
    person = roster.emulator.person(7001, "张三")
    code = await roster.invite("S001")
    await person.send_command("start", code)
    reply = (await person.wait_for_bot())[0]
    assert "绑定成功" in (reply.text or "")
    assert "张三" in (reply.text or "")
    await person.wait_until(lambda: len(person.commands()) > 2, what="the bound person's menu")
    names = [name for name, _ in person.commands()]
    assert names[:5] == ["start", "help", "apply", "mydrafts", "mynominations"]
    assert "queue" in names and "delegate" in names  # 张三 leads his unit
    assert "rounds" not in names  # an admin's command


async def test_a_stranger_gets_one_polite_answer_and_nothing_else(roster: Harness) -> None:
    stranger = roster.emulator.person(7999, "路人")
    for text in ("你好", "/apply", "/language", "/help"):
        person_reply = await stranger.ask_text(text)
        assert "仅供本局工作人员使用" in (person_reply.text or "")
    # A person's updates are handled in order: once the fourth is answered, the first
    # three have said all they will.
    assert len(stranger.bot_messages) == 4
    assert [name for name, _ in stranger.commands()] == ["start", "help"]


async def test_used_and_unknown_codes_are_refused(roster: Harness) -> None:
    code = await roster.invite("S002")
    first = roster.emulator.person(7002, "李四")
    await first.send_command("start", code)
    await first.wait_for_bot()
    other = roster.emulator.person(7003, "别人")
    await other.send_command("start", code)
    assert "已经被使用" in ((await other.wait_for_bot())[0].text or "")
    await other.send_command("start", "not-a-real-code")
    assert "邀请码无效" in ((await other.wait_for_bot())[0].text or "")


async def test_english_telegram_users_are_answered_in_english(roster: Harness) -> None:
    stranger = roster.emulator.person(7100, "Visitor", language_code="en")
    reply = await stranger.ask_text("hello")
    assert "for the bureau's staff only" in (reply.text or "")
    person = await roster.bound_person("S002", 7101, language_code="en")
    reply = await person.ask_text("/help")
    assert "You can use these commands" in (reply.text or "")
    assert "/language" in (reply.text or "")


async def test_help_lists_only_my_commands_and_my_roles(roster: Harness) -> None:
    person = await roster.bound_person("S003", 7003)
    reply = await person.ask_text("/help")
    text = reply.text or ""
    assert "考评小组成员" in text and "管理员" in text
    assert "/cancel" in text


async def test_language_can_be_chosen_with_a_button(roster: Harness) -> None:
    person = await roster.bound_person("S001", 7001)
    await person.ask_text("/language")
    edited = await person.ask_press("English")
    assert edited.text == "Language set to English."
    reply = await person.ask_text("/cancel")
    assert reply.text == "There is nothing to cancel."
    await person.wait_until(lambda: dict(person.commands()).get("help")
                            == "Help and the list of commands", what="the menu in English")


async def test_a_failing_handler_still_answers_and_the_bot_keeps_running(
    roster: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awardbot.handlers import help as help_handlers

    async def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    person = await roster.bound_person("S002", 7002)
    monkeypatch.setattr(help_handlers.HANDLERS[0], "callback", broken)
    reply = await person.ask_text("/help")
    assert "出现了问题" in (reply.text or "")
    ok = await person.ask_text("/cancel")
    assert ok.text == "当前没有进行中的操作。"


async def test_an_update_delivered_twice_is_handled_once(roster: Harness) -> None:
    person = await roster.bound_person("S002", 7002)
    await person.ask_text("/cancel")
    raw = roster.emulator.state.updates.recent[-1]
    again = Update.de_json(raw, roster.app.bot)
    # The Bot API delivering it a second time: it is dropped as a repeat when it arrives.
    await roster.app.update_queue.put(again)
    await person.ask_text("/help")  # handled after anything queued before it, in order
    assert [m.text for m in person.bot_messages].count("当前没有进行中的操作。") == 1


async def test_start_when_bound_shows_my_menu_by_role(roster: Harness) -> None:
    admin = await roster.bound_person("S003", 7004)
    reply = await admin.ask_text("/start")
    text = reply.text or ""
    assert "您的账号已绑定" in text and "您可以使用以下命令" in text
    assert "/decide" in text and "/apply" in text and "管理员" in text
    staff = await roster.bound_person("S002", 7005)
    plain = (await staff.ask_text("/start")).text or ""
    assert "/apply" in plain and "/decide" not in plain
