"""The text catalogue: every user-facing string, in Simplified Chinese and English."""

from awardbot.i18n.catalogue import DEFAULT_LANGUAGE, LANGUAGES, Catalogue, pick_language

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Catalogue", "pick_language"]
