"""Steps of the person awards (三牛奖, 最美政务人): who, which award, criteria, statements."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.documents.text_input import has_words
from awardbot.workflow.intake.flow import STAFF_SECTIONS
from awardbot.workflow.intake.model import (
    Choice,
    Draft,
    Prompt,
    StepError,
    literal,
    set_toggle,
)
from awardbot.workflow.messages import Text, names
from awardbot.workflow.roster.search import match_staff

NEXT = "next"
STAY = "stay"
PICK_LIMIT = 10  # colleagues listed as buttons at most


def _prompt(draft: Draft, step: str, key: str, choices=(), edit=False, **params) -> Prompt:  # type: ignore[no-untyped-def]
    return Prompt(draft.row.id, step, Text(key, params), tuple(choices), edit)


def subject_prompt(draft: Draft, step: str) -> Prompt:
    return _prompt(draft, step, "intake.subject.ask", [[
        Choice(Text("intake.subject.self"), "self"),
        Choice(Text("intake.subject.colleague"), "colleague"),
    ]])


def subject_action(draft: Draft, action: str) -> str:
    if action == "self":
        draft.put(**{"for": "self"})
        draft.row.subject_staff_id = draft.row.applicant_id
        return NEXT
    if action == "colleague":
        # Asked who again, also when changing the subject from the preview.
        draft.row.subject_staff_id = None
        draft.put(**{"for": "colleague", "nominee_matches": []})
        return NEXT
    raise StepError("errors.stale_button")


def nominee_prompt(draft: Draft, step: str) -> Prompt:
    matches = draft.answer("nominee_matches") or []
    choices = [[Choice(literal(f"{m['name']}（{m['unit']}，{m['staff_no']}）"), f"pick.{m['id']}")]
               for m in matches]
    key = "intake.nominee.pick" if matches else "intake.nominee.ask"
    return _prompt(draft, step, key, choices)


async def nominee_text(session: AsyncSession, draft: Draft, text: str) -> str:
    """A staff number or a name, whole or in part ("张" lists every 张 with their unit)."""
    query = text.strip()
    if not query:
        raise StepError("intake.nominee.ask")
    rows = await match_staff(session, query, besides=draft.row.applicant_id, limit=PICK_LIMIT)
    if not rows:
        raise StepError("intake.nominee.not_found", query=query)
    one = [r for r in rows if r.staff_no == query] or (rows if len(rows) == 1 else [])
    if one:
        return chosen(draft, one[0].id, one[0].name, one[0].unit.name)
    if len(rows) > PICK_LIMIT:
        raise StepError("intake.nominee.too_many", query=query, limit=PICK_LIMIT)
    draft.put(nominee_matches=[
        {"id": r.id, "name": r.name, "unit": r.unit.name, "staff_no": r.staff_no} for r in rows])
    return STAY


def chosen(draft: Draft, staff_id: int, name: str, unit: str) -> str:
    """The colleague is set, and said back with their unit before the walkthrough goes on."""
    draft.row.subject_staff_id = staff_id
    draft.put(nominee_matches=[])
    draft.notice = Text("intake.nominee.chosen", {"name": name, "unit": unit})
    return NEXT


def nominee_action(draft: Draft, action: str) -> str:
    matches = {m["id"]: m for m in draft.answer("nominee_matches") or []}
    number = action.removeprefix("pick.")
    picked = int(number) if action.startswith("pick.") and number.isdigit() else None
    if picked is None or picked not in matches:
        raise StepError("errors.stale_button")
    return chosen(draft, picked, matches[picked]["name"], matches[picked]["unit"])


def award_prompt(draft: Draft, step: str) -> Prompt:
    """The awards the subject may still get, as buttons; the others named with why."""
    family = draft.awards.families[draft.family]
    closed = draft.answer("closed_awards", {})
    choices = []
    for code in family.awards:
        award = draft.awards.awards[code]
        if code in closed:
            continue
        label = Text("intake.award.button", {
            "name": names(award.names.zh, award.names.en),
            "theme": names(award.theme.zh, award.theme.en) if award.theme else ""})
        choices.append([Choice(label, f"award.{code}")])
    if not closed:
        return _prompt(draft, step, "intake.award.ask", choices)
    lines = [Text("intake.gate.line", {"award": names(draft.awards.awards[code].names.zh,
                                                      draft.awards.awards[code].names.en),
                                       "reason": reason})
             for code, reason in closed.items() if code in draft.awards.awards]
    return _prompt(draft, step, "intake.award.ask_some", choices,
                   closed=Text(f"intake.gate.lines.{len(lines)}",
                               {f"l{i}": line for i, line in enumerate(lines)}))


def award_action(draft: Draft, action: str) -> str:
    code = action.removeprefix("award.")
    if code not in draft.awards.families[draft.family].awards:
        raise StepError("errors.stale_button")
    if draft.row.award != code:
        draft.row.criteria = []
    draft.row.award = code
    return NEXT


def criteria_prompt(draft: Draft, step: str) -> Prompt:
    award = draft.awards.awards[draft.row.award or ""]
    chosen = set(draft.row.criteria or [])
    lines = "\n".join(f"{i}. {c.zh}" for i, c in enumerate(award.criteria, start=1))
    lines_en = "\n".join(f"{i}. {c.en}" for i, c in enumerate(award.criteria, start=1))
    toggles = [
        Choice(Text("intake.criteria.toggle_on" if i in chosen else "intake.criteria.toggle_off",
                    {"n": i}), f"crit.{i}.{'off' if i in chosen else 'on'}")
        for i in range(1, len(award.criteria) + 1)
    ]
    return _prompt(draft, step, "intake.criteria.ask", [toggles, [
        Choice(Text("intake.next"), "done")]], edit=True,
        award=names(award.names.zh, award.names.en), criteria=names(lines, lines_en))


def criteria_action(draft: Draft, action: str) -> str:
    award = draft.awards.awards[draft.row.award or ""]
    if action == "done":
        if not draft.row.criteria:
            raise StepError("intake.criteria.none")
        return NEXT
    number, _, wanted = action.removeprefix("crit.").partition(".")
    if not number.isdigit() or not 1 <= int(number) <= len(award.criteria):
        raise StepError("errors.stale_button")
    draft.row.criteria = sorted(set_toggle(set(draft.row.criteria or []), int(number), wanted))
    return STAY


def mode_prompt(draft: Draft, step: str) -> Prompt:
    return _prompt(draft, step, "intake.mode.ask", [[
        Choice(Text("intake.mode.sections"), "sections"),
        Choice(Text("intake.mode.overall"), "overall"),
    ]])


def mode_action(draft: Draft, action: str) -> str:
    if action not in ("sections", "overall"):
        raise StepError("errors.stale_button")
    draft.put(mode=action)
    return NEXT


def statement_prompt(draft: Draft, step: str) -> Prompt:
    if step.startswith("statement:"):
        section = step.split(":", 1)[1]
        return _prompt(draft, step, "intake.statement.ask_section",
                       section=Text(f"intake.section.{section}"),
                       limit=draft.limits.statement_max_chars)
    return _prompt(draft, step, "intake.statement.ask", limit=draft.limits.statement_max_chars)


def statement_text(draft: Draft, step: str, text: str) -> str:
    text = text.strip()
    if not text:
        raise StepError("intake.statement.empty")
    if not has_words(text):
        raise StepError("intake.statement.no_words")
    limit = draft.limits.statement_max_chars
    if len(text) > limit:
        raise StepError("intake.statement.too_long", limit=limit, length=len(text))
    if step.startswith("statement:"):
        section = step.split(":", 1)[1]
        if section not in STAFF_SECTIONS:
            raise StepError("errors.stale_button")
        draft.put(statements={**draft.answer("statements", {}), section: text})
    else:
        draft.row.statement = text
    return NEXT
