"""``awardbot export notice ROUND_ID --pdf FILE --docx FILE`` and
``awardbot export certificates ROUND_ID --pdf FILE``: a round's 公示 and certificates.

Importing this module is cheap (the command line builds its parser from it); the
renderers, fonts and database are loaded only when a command runs.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from awardbot.bot.cli.errors import OperatorError
from awardbot.bot.settings import Settings

COMMANDS = ("notice", "certificates")


def add_parsers(export: Any) -> None:
    """Add ``notice`` and ``certificates`` to the ``export`` subcommands."""
    notice = export.add_parser("notice", help="the round's public notice (公示) as PDF and/or DOCX")
    notice.add_argument("round_id", metavar="ROUND_ID", help="the round's id (awardbot round list)")
    notice.add_argument("--pdf", type=Path, metavar="FILE")
    notice.add_argument("--docx", type=Path, metavar="FILE")
    notice.add_argument("--lang", choices=("zh", "en"), default="zh")
    certificates = export.add_parser("certificates",
                                     help="every winner's certificate, one printable PDF")
    certificates.add_argument("round_id", metavar="ROUND_ID")
    certificates.add_argument("--pdf", required=True, type=Path, metavar="FILE")
    certificates.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD",
                              help="the date printed (default: the day the notice closed)")
    certificates.add_argument("--lang", choices=("zh", "en"), default="zh")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from awardbot.bot.cli.export import round_id_of
    from awardbot.bot.documents_settings import check_documents
    from awardbot.documents.fonts import DocumentError

    where = f"export {args.what}"
    if args.what == "notice" and args.pdf is None and args.docx is None:
        raise OperatorError(f"{where}: give --pdf FILE, --docx FILE or both")
    round_id = round_id_of(str(args.round_id))
    try:
        check_documents(settings.documents)
        files = await _render(args, settings, round_id)
    except DocumentError as exc:
        raise OperatorError(f"{where}: {exc}") from None
    for path, content in files:
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise OperatorError(f"{where}: cannot write {path}: {exc.strerror}") from None
        print(f"{path}: {len(content)} bytes")
    return 0


async def _render(args: argparse.Namespace, settings: Settings, round_id: int
                  ) -> list[tuple[Path, bytes]]:
    from awardbot.db.engine import create_engine, session_factory
    from awardbot.db.migrate import SchemaOutOfDate, ensure_migrated
    from awardbot.documents.certificates import certificates_pdf
    from awardbot.documents.notice import notice_pdf
    from awardbot.documents.notice_docx import notice_docx
    from awardbot.documents.texts import catalogue
    from awardbot.scoring import Rules, default_catalogue
    from awardbot.workflow.documents.queries import (
        Papers,
        certificate_batch,
        notice_data,
    )
    from awardbot.workflow.messages import render
    from awardbot.workflow.refusal import Refusal

    papers = Papers(default_catalogue(), Rules.from_mapping(settings.rules),
                    settings.documents.style(), args.lang)
    engine = create_engine(settings.database.url)
    try:
        await ensure_migrated(engine)
        async with session_factory(engine)() as session:
            if args.what == "notice":
                notice = await notice_data(session, papers, round_id)
            else:
                batch = await certificate_batch(session, papers, round_id, args.date)
    except Refusal as refusal:
        raise OperatorError(f"export {args.what}: {render(catalogue(), 'en', refusal.text)}"
                            ) from None
    except SchemaOutOfDate as exc:
        raise OperatorError(f"export {args.what}: {exc}") from None
    finally:
        await engine.dispose()
    if args.what == "certificates":
        return [(args.pdf, certificates_pdf(batch))]
    wanted = [(args.pdf, notice_pdf), (args.docx, notice_docx)]
    return [(path, make(notice)) for path, make in wanted if path is not None]
