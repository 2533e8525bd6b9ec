"""The catalogue is complete in both languages, and handlers carry no text of their own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from awardbot.i18n import Catalogue, pick_language
from awardbot.i18n.catalogue import CatalogueError

HANDLERS = Path(__file__).resolve().parents[2] / "awardbot" / "handlers"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_both_languages_load_and_agree() -> None:
    catalogue = Catalogue.load()
    assert "start.stranger" in set(catalogue.keys())
    assert CJK.search(catalogue.text("zh", "start.stranger"))
    assert not CJK.search(catalogue.text("en", "start.stranger"))


def test_a_missing_key_or_placeholder_is_refused() -> None:
    with pytest.raises(CatalogueError, match="keys differ"):
        Catalogue({"zh": {"a": "x", "b": "y"}, "en": {"a": "x"}})
    with pytest.raises(CatalogueError, match="placeholders"):
        Catalogue({"zh": {"a": "{name}"}, "en": {"a": "{nom}"}})


@pytest.mark.parametrize(
    ("chosen", "telegram", "expected"),
    [(None, None, "zh"), (None, "en-US", "en"), (None, "zh-hans", "zh"), (None, "fr", "zh"),
     ("zh", "en", "zh"), ("en", None, "en")],
)
def test_language_choice(chosen: str | None, telegram: str | None, expected: str) -> None:
    assert pick_language(chosen, telegram, "zh") == expected


def _string_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_handlers_hold_no_chinese_text() -> None:
    offenders = [
        f"{path.name}:{line}: {value!r}"
        for path in sorted(HANDLERS.rglob("*.py"))
        for line, value in _string_constants(path)
        if CJK.search(value)
    ]
    assert offenders == [], "user-facing text belongs in awardbot/i18n"
