"""``awardbot export round``: a round's ranking, every evaluator's scores and the decision.

The database layer is imported when the command runs, not for ``awardbot --help``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awardbot.bot.cli.errors import OperatorError

if TYPE_CHECKING:
    from awardbot.bot.settings import Settings


def add_parser(sub: Any) -> Any:
    """Add ``export`` and its ``round`` command; returns the subcommands for more."""
    export = sub.add_parser("export", help="export results").add_subparsers(
        dest="what", required=True)
    round_ = export.add_parser("round", help="a round's ranking, scores and decision as XLSX")
    round_.add_argument("round_id", metavar="ROUND_ID", help="the round's id (awardbot round list)")
    round_.add_argument("--xlsx", required=True, type=Path, metavar="FILE")
    round_.add_argument("--lang", choices=("zh", "en"), default="zh")
    return export


def round_id_of(text: str) -> int:
    if not text.isdigit():
        raise OperatorError(f"export: ROUND_ID must be a whole number, not {text!r}")
    return int(text)


async def run(args: argparse.Namespace, settings: Settings, *,
              clock: Callable[[], datetime]) -> int:
    from awardbot.db.engine import create_engine, session_factory
    from awardbot.db.migrate import SchemaOutOfDate, ensure_migrated
    from awardbot.i18n import Catalogue
    from awardbot.scoring import Rules
    from awardbot.workflow.evaluation.export import export_round
    from awardbot.workflow.refusal import Refusal
    from awardbot.workflow.services import Services

    round_id = round_id_of(str(args.round_id))
    engine = create_engine(settings.database.url)
    try:
        await ensure_migrated(engine)
        sessions = session_factory(engine, audit_key=settings.audit.key_bytes())
        svc = Services(sessions, rules=Rules.from_mapping(settings.rules))
        _name, content = await export_round(svc, Catalogue.load(), round_id,
                                           clock(), lang=args.lang)
    except Refusal:
        raise OperatorError(f"export: there is no round {round_id}") from None
    except SchemaOutOfDate as exc:
        raise OperatorError(f"export: {exc}") from None
    finally:
        await engine.dispose()
    try:
        args.xlsx.write_bytes(content)
    except OSError as exc:
        raise OperatorError(f"export: cannot write {args.xlsx}: {exc.strerror}") from None
    print(f"wrote {args.xlsx} ({len(content)} bytes)")
    return 0
