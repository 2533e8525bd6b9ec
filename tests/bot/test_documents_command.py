"""``awardbot export notice`` and ``awardbot export certificates``: files written, and one
line with exit status 2 for a bad round id or a round without a notice or winners."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from awardbot.bot.cli.main import main
from awardbot.db.engine import create_engine, session_factory
from tests.documents.inspect_files import assert_cjk_pdf, docx_text, pdf_pages
from tests.documents.seed import seeded


@pytest.fixture
def bureau_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.chdir(tmp_path)
    for name in ("AWARDBOT__TELEGRAM__TOKEN", "AWARDBOT__DATABASE__URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "config.toml").write_text(
        '[documents]\nbureau_name = "昆山市行政审批局"\n', encoding="utf-8")
    assert main(["db", "upgrade"]) == 0

    async def seed() -> dict[str, int]:
        engine = create_engine("sqlite+aiosqlite:///var/awardbot.db")
        try:
            return await seeded(session_factory(engine), tmp_path)
        finally:
            await engine.dispose()

    return asyncio.run(seed())


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_export_notice_writes_pdf_and_docx(bureau_db: dict[str, int], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    round_id = str(bureau_db["round:sanniu"])
    assert main(["export", "notice", round_id, "--pdf", "n.pdf", "--docx", "n.docx"]) == 0
    assert "n.pdf:" in capsys.readouterr().out
    text = "".join(assert_cjk_pdf((tmp_path / "n.pdf").read_bytes()).split())
    for expected in ("关于2026年第三季度三牛奖评选结果的公示", "张伟", "王磊", "综合受理窗口",
                     "2026年10月10日17:30截止", "昆山市行政审批局"):
        assert expected in text
    assert "关于2026年第三季度三牛奖评选结果的公示" in docx_text((tmp_path / "n.docx").read_bytes())


def test_export_certificates_one_page_each(bureau_db: dict[str, int], tmp_path: Path) -> None:
    round_id = str(bureau_db["round:sanniu"])
    assert main(["export", "certificates", round_id, "--pdf", "c.pdf"]) == 0
    data = (tmp_path / "c.pdf").read_bytes()
    assert len(pdf_pages(data)) == 3
    text = "".join(assert_cjk_pdf(data).split())
    assert "张伟同志：" in text and "2026年10月10日" in text


@pytest.mark.parametrize(("argv", "expected"), [
    (["export", "notice", "x", "--pdf", "n.pdf"], "ROUND_ID must be a whole number"),
    (["export", "notice", "999", "--pdf", "n.pdf"], "export notice: There is no round 999."),
    (["export", "notice", "1"], "give --pdf FILE, --docx FILE or both"),
    (["export", "certificates", "hall", "--pdf", "c.pdf"], "has no final winners yet"),
])
def test_bad_requests_are_one_line(bureau_db: dict[str, int], capsys: pytest.CaptureFixture[str],
                                   argv: list[str], expected: str) -> None:
    argv = [str(bureau_db["round:hall"]) if a == "hall" else a for a in argv]
    capsys.readouterr()
    assert main(argv) == 2
    assert expected in _one_line(capsys)
    assert not Path("c.pdf").exists() and not Path("n.pdf").exists()
