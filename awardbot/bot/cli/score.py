"""``awardbot score``: score one nomination's facts, or score and rank a whole round.

    awardbot score --award zuimei_window FACTS.json [--lang en] [--json]
    awardbot score --round FACTS_DIR [--lang en] [--json]

A round directory holds one JSON file per nomination with the envelope
``{"id", "award", "submitted_at", "facts"}`` (docs/facts.md). The rules are the bot's:
the ``[rules]`` table of the configuration (``--config``, default ./config.toml) and the
``AWARDBOT__RULES__*`` environment variables; ``--rules FILE.toml`` reads the ``[rules]``
table of FILE instead. A bad file or rule ends the command with exit status 2 and one
line on stderr naming the file, the key path and the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from awardbot import scoring
from awardbot.scoring import RankingResult, Rules, ScoringError, fmt

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """A file could not be used; the message is the one line to print."""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("score", help="score a nomination or rank a round",
                                   description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--award", help="award code of FACTS (e.g. zuimei_window)")
    what.add_argument("--round", dest="round_dir", type=Path, metavar="FACTS_DIR",
                      help="directory of nomination files to score and rank")
    parser.add_argument("facts", nargs="?", type=Path, metavar="FACTS.json")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--rules", type=Path, metavar="CONFIG.toml",
                        help="the [rules] table of this file instead of the configuration's")
    parser.set_defaults(handler=run)
    return parser


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno} column {exc.colno}: invalid JSON: "
                         f"{exc.msg}") from exc


def _rules(args: argparse.Namespace) -> Rules:
    """The bot's rules (configuration and environment), or those of ``--rules FILE``."""
    if args.rules is not None:
        return _rules_file(args.rules)
    from awardbot.bot.settings import SettingsError, load_settings

    try:
        settings = load_settings(getattr(args, "config", None))
    except SettingsError as exc:
        raise InputError(str(exc)) from None
    return Rules.from_mapping(settings.rules)  # load_settings has checked them


def _rules_file(path: Path) -> Rules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Rules.from_mapping(data.get("rules", {}))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from exc
    except ScoringError as exc:
        raise InputError(f"{path}: {exc}") from exc


def _score_one(award: str, path: Path, rules: Rules, lang: str, as_json: bool) -> str:
    data = _load_json(path)
    if isinstance(data, dict) and "facts" in data:  # a round file's envelope
        data = data["facts"]
        prefix = "facts"
    else:
        prefix = ""
    try:
        facts = scoring.parse_facts(award, data, path=prefix)
        sheet = scoring.score_sheet(award, facts, rules)
    except ScoringError as exc:
        raise InputError(f"{path}: {exc}") from exc
    if as_json:
        return json.dumps(sheet.to_dict(), ensure_ascii=False, indent=2)
    return sheet.render(lang)


def _ranking_text(ranking: RankingResult, lang: str) -> list[str]:
    catalogue = scoring.default_catalogue()
    names = catalogue.award(ranking.award).names.get(lang)
    title = f"{names} ({'名额' if lang == 'zh' else 'places'} {ranking.quota})"
    lines = [title]
    for entry in ranking.entries:
        outcome = entry.tier or entry.outcome
        rank = "—" if entry.rank is None else str(entry.rank)
        extra = f" {'条件' if lang == 'zh' else 'criteria'} {entry.criteria_count}" \
            if entry.criteria_count is not None else ""
        reasons = "; ".join(r.render(lang) for r in entry.reasons)
        lines.append(f"  {rank:>4}  {entry.nomination_id}  {fmt(entry.total)}{extra}  "
                     f"{outcome}{'  ' + reasons if reasons else ''}")
    return lines


def _score_round(directory: Path, rules: Rules, lang: str, as_json: bool) -> str:
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory")
    nominations = []
    for path in sorted(directory.glob("*.json")):
        try:
            nominations.append(scoring.parse_nomination(_load_json(path)))
        except ScoringError as exc:
            raise InputError(f"{path}: {exc}") from exc
    try:
        result = scoring.score_round(nominations, rules)
    except ScoringError as exc:
        raise InputError(f"{directory}: {exc}") from exc
    if as_json:
        return json.dumps(_round_dict(result), ensure_ascii=False, indent=2)
    out: list[str] = []
    for ranking in result.rankings.values():
        out.extend(_ranking_text(ranking, lang))
    return "\n".join(out)


def _round_dict(result: scoring.RoundResult) -> dict[str, Any]:
    return {
        "rankings": {
            award: {"quota": r.quota, "entries": [
                {"rank": e.rank, "id": e.nomination_id, "total": fmt(e.total),
                 "exact_total": scoring.fraction_text(e.total),
                 "criteria_count": e.criteria_count, "submitted_at": e.submitted_at.isoformat(),
                 "outcome": e.outcome, "tier": e.tier,
                 "reasons": [m.to_dict() for m in e.reasons]}
                for e in r.entries]}
            for award, r in result.rankings.items()
        },
        "sheets": {nid: sheet.to_dict() for nid, sheet in result.sheets.items()},
    }


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit status."""
    try:
        rules = _rules(args)
        if args.round_dir is not None:
            output = _score_round(args.round_dir, rules, args.lang, args.json)
        else:
            if args.facts is None:
                raise InputError("score: --award needs a FACTS.json file")
            if args.award not in scoring.default_catalogue().awards:
                known = ", ".join(scoring.default_catalogue().awards)
                raise InputError(f"score: unknown award {args.award!r} (one of {known})")
            output = _score_one(args.award, args.facts, rules, args.lang, args.json)
    except InputError as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(output)
    return 0
