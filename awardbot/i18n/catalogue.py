"""Loads ``zh/*.toml`` and ``en/*.toml`` and checks that they agree key for key.

Each feature keeps its texts in its own file (``zh/apply.toml`` beside ``en/apply.toml``);
the files of a language are merged, and a key defined twice is an error.

Keys are dotted paths (``start.bound``); values are ``str.format`` templates. A missing
key or a placeholder present in one language but not the other fails at load time, so a
mistake is found by the test suite rather than by a user.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


class CatalogueError(Exception):
    pass


def _flatten(prefix: str, node: Mapping[str, Any], out: dict[str, str]) -> None:
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            _flatten(path, value, out)
        elif isinstance(value, str):
            out[path] = value
        else:
            raise CatalogueError(f"{path}: a text must be a string")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def pick_language(chosen: str | None, telegram_code: str | None, default: str) -> str:
    """The person's own choice wins; else their Telegram language if we speak it."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_code:
        base = telegram_code.lower().split("-")[0]
        if base in LANGUAGES:
            return base
    return default


class Catalogue:
    def __init__(self, texts: Mapping[str, Mapping[str, str]]) -> None:
        self._texts = texts
        self._check()

    @classmethod
    def load(cls) -> Catalogue:
        root = files("awardbot.i18n")
        texts: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            flat: dict[str, str] = {}
            sources = sorted(root.joinpath(lang).iterdir(), key=lambda p: p.name)
            for source in sources:
                if not source.name.endswith(".toml"):
                    continue
                part: dict[str, str] = {}
                _flatten("", tomllib.loads(source.read_text("utf-8")), part)
                twice = set(part) & set(flat)
                if twice:
                    raise CatalogueError(f"{lang}/{source.name}: defined twice: {sorted(twice)}")
                flat.update(part)
            texts[lang] = flat
        return cls(texts)

    def _check(self) -> None:
        base = self._texts[DEFAULT_LANGUAGE]
        for lang, texts in self._texts.items():
            missing = set(base) ^ set(texts)
            if missing:
                raise CatalogueError(
                    f"{lang}: keys differ from {DEFAULT_LANGUAGE}: {sorted(missing)}")
            for key, template in texts.items():
                if _fields(template) != _fields(base[key]):
                    raise CatalogueError(f"{lang}.{key}: placeholders differ")

    def keys(self) -> frozenset[str]:
        return frozenset(self._texts[DEFAULT_LANGUAGE])

    def text(self, lang: str, key: str, **params: Any) -> str:
        texts = self._texts.get(lang) or self._texts[DEFAULT_LANGUAGE]
        try:
            template = texts[key]
        except KeyError:
            raise CatalogueError(f"no text {key!r}") from None
        return template.format(**params) if params else template
