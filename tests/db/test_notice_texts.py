"""The notice catalogue names every family, award and tier exactly as the rule book does,
in both languages (the sender renders payloads from the text catalogue only)."""

from __future__ import annotations

from awardbot.i18n import Catalogue
from awardbot.scoring import default_catalogue


def test_award_and_family_names_match_the_rule_book() -> None:
    texts, awards = Catalogue.load(), default_catalogue()
    names = {f"notice.family.{code}": f.names for code, f in awards.families.items()}
    for code, award in awards.awards.items():
        names[f"notice.award.{code}"] = award.names
        names.update({f"notice.award.{t.code}": t.names for t in award.tiers})
    for key, expected in names.items():
        assert texts.text("zh", key) == expected.zh, key
        assert texts.text("en", key) == expected.en, key
