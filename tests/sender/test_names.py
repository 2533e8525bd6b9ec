"""Names given in both languages ($names parameters) reach each person in their language."""

from __future__ import annotations

from awardbot.bot.sender.render import render_text
from awardbot.i18n import Catalogue
from awardbot.workflow.messages import Text, names


def test_names_are_rendered_in_the_recipients_language() -> None:
    catalogue = Catalogue.load()
    value = Text("intake.notify.nominee", {
        "ref": "SN-1", "applicant": "刘芳", "award": names("孺子牛奖", "Willing Ox")})
    assert "孺子牛奖" in render_text(catalogue, "zh", value.to_json())
    assert "Willing Ox" in render_text(catalogue, "en", value.to_json())
    assert "$names" not in render_text(catalogue, "en", value.to_json())
