"""The command line: every mistake an operator can make is one line and exit status 2."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awardbot.bot.cli import main as cli

AUDIT_KEY = "test-audit-key-" + "0" * 32
# "Now" for every command in this file: Wednesday 25 November 2026, 10:00 in Shanghai.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def main(argv: Sequence[str]) -> int:
    """The command line on this file's fixed clock: no test depends on today's date."""
    return cli.main(argv, clock=lambda: NOW)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("AWARDBOT__TELEGRAM__TOKEN", "AWARDBOT__DATABASE__URL",
                 "AWARDBOT__RULES__SURVEY_MIN_VOTES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWARDBOT__AUDIT__KEY", AUDIT_KEY)
    return tmp_path


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("[telegram\n", "config.toml: malformed TOML"),
        ("[database]\nurl = \"mysql://x\"\n", "config.toml: database.url: unsupported database"),
        ("[telegram]\ntokn = \"1:x\"\n", "config.toml: telegram.tokn: unknown setting"),
        ("[rules]\nhall_total = -1\n", "config.toml: rules.hall_total"),
        ("[telegram]\nmode = \"webhook\"\ntoken = \"1:x\"\n", "telegram.webhook_url"),
    ],
)
def test_bad_settings_are_one_line(workdir: Path, capsys: pytest.CaptureFixture[str],
                                   config: str, expected: str) -> None:
    (workdir / "config.toml").write_text(config, encoding="utf-8")
    assert main(["run"]) == 2
    assert expected in _one_line(capsys)


def test_run_without_a_token_names_the_key(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 2
    assert "telegram.token: missing" in _one_line(capsys)


def test_run_and_writing_commands_need_the_audit_key(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWARDBOT__TELEGRAM__TOKEN", "1:x")
    monkeypatch.delenv("AWARDBOT__AUDIT__KEY")
    assert main(["run"]) == 2
    assert "audit.key: missing" in _one_line(capsys)
    assert main(["db", "upgrade"]) == 0  # the schema needs no key
    capsys.readouterr()
    assert main(["round", "open", "sanniu", "2026Q4", "--closes", "2026-12-20 17:30"]) == 2
    assert "audit.key: missing" in _one_line(capsys)
    monkeypatch.setenv("AWARDBOT__AUDIT__KEY", "short")
    assert main(["round", "list"]) == 2
    assert "audit.key: must be at least 32 characters" in _one_line(capsys)


def test_run_refuses_an_unmigrated_database(workdir: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWARDBOT__TELEGRAM__TOKEN", "1:x")
    assert main(["run"]) == 2
    assert "run `awardbot db upgrade`" in _one_line(capsys)


def test_a_named_config_file_must_exist(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", "elsewhere.toml", "db", "check"]) == 2
    assert _one_line(capsys) == "awardbot: elsewhere.toml: no such file"


def test_roster_import_lists_every_bad_row_and_imports_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    (workdir / "roster.csv").write_text(
        "unit_code,unit_name,unit_kind,parent_unit,staff_id,name,roles,window_staff,service_start\n"
        "W1,窗口,window,,S1,张三,boss,yes,2020-01-01\n"
        "W1,窗口,window,,S2,李四,staff,maybe,2020-13-01\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["roster", "import", "roster.csv"]) == 2
    out = capsys.readouterr()
    assert "row 2, column roles" in out.out and "row 3, column window_staff" in out.out
    assert "row 3, column service_start" in out.out
    assert "rejected, nothing was imported" in out.err
    assert main(["invite", "--staff", "S1"]) == 2


def test_round_commands(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["round", "open", "sanniu", "2026Q4", "--closes", "2026-12-20 17:30"]) == 0
    assert "sanniu 2026Q4: accepting" in capsys.readouterr().out
    assert main(["round", "open", "sanniu", "2026", "--closes", "2026-12-20"]) == 2
    assert "is quarterly" in _one_line(capsys)
    assert main(["round", "extend", "sanniu", "2026Q4", "--closes", "tomorrow"]) == 2
    assert "--closes" in _one_line(capsys)


def test_extending_a_round_moves_its_later_deadlines(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from sqlalchemy import select

    from awardbot.db.engine import create_engine, session_factory
    from awardbot.db.models import Round

    assert main(["db", "upgrade"]) == 0
    assert main(["round", "open", "sanniu", "2026Q4", "--opens", "2026-11-20 09:00",
                 "--closes", "2026-11-30 17:30"]) == 0
    assert main(["round", "extend", "sanniu", "2026Q4", "--closes", "2026-12-01 17:30"]) == 0
    assert "closes 2026-12-01 17:30" in capsys.readouterr().out

    async def deadlines() -> tuple[object, object]:
        engine = create_engine(f"sqlite+aiosqlite:///{workdir / 'var' / 'awardbot.db'}")
        async with session_factory(engine)() as session:
            row = await session.scalar(select(Round))
            assert row is not None
            result = (row.leader_deadline, row.scoring_deadline)
        await engine.dispose()
        return result

    leader, scoring = asyncio.run(deadlines())
    assert leader is not None and scoring is not None
    assert leader.date().isoformat() == "2026-12-04"  # three working days after the new close
    assert scoring.date().isoformat() == "2026-12-11"
    # Later deadlines reaching into 2027, whose official calendar is not loaded: refused.
    assert main(["round", "extend", "sanniu", "2026Q4", "--closes", "2026-12-24 17:30"]) == 2
    assert "2027 is not loaded" in _one_line(capsys)
    assert main(["round", "extend", "sanniu", "2027Q1", "--closes", "2027-03-01"]) == 2
    assert "no round sanniu 2027Q1" in _one_line(capsys)


# A window whose satisfaction survey has 3 votes: fewer than the rule book's 10.
FEW_VOTES = {"case_volume": 5000, "recipient_ratings": {"very_satisfied": 3, "satisfied": 1},
             "satisfaction": {"very_satisfied": 2, "satisfied": 1}}


def _score(workdir: Path, capsys: pytest.CaptureFixture[str], *options: str) -> dict[str, object]:
    (workdir / "facts.json").write_text(json.dumps(FEW_VOTES), encoding="utf-8")
    assert main([*options, "score", "--award", "zuimei_window", "facts.json", "--json"]) == 0
    sheet: dict[str, object] = json.loads(capsys.readouterr().out)
    return sheet


def test_score_reads_the_bots_rules(workdir: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    held = _score(workdir, capsys)
    assert held["complete"] is False and held["problems"]  # 3 votes, fewer than 10
    (workdir / "config.toml").write_text("[rules]\nsurvey_min_votes = 1\n", encoding="utf-8")
    scored = _score(workdir, capsys)
    assert scored["complete"] is True and scored["problems"] == []
    assert scored["total"] == held["total"] == "79.33"  # the survey counts either way
    (workdir / "strict.toml").write_text("[rules]\nsurvey_min_votes = 5\n", encoding="utf-8")
    assert _score(workdir, capsys, "--config", "strict.toml")["complete"] is False
    monkeypatch.setenv("AWARDBOT__RULES__SURVEY_MIN_VOTES", "1")  # over the file, as the bot
    assert _score(workdir, capsys, "--config", "strict.toml")["complete"] is True


def test_score_rules_file_overrides_and_bad_rules_are_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "config.toml").write_text("[rules]\nsurvey_min_votes = 1\n", encoding="utf-8")
    (workdir / "other.toml").write_text("[rules]\nsurvey_min_votes = 4\n", encoding="utf-8")
    (workdir / "facts.json").write_text(json.dumps(FEW_VOTES), encoding="utf-8")
    argv = ["score", "--award", "zuimei_window", "facts.json", "--json"]
    assert main([*argv, "--rules", "other.toml"]) == 0
    assert json.loads(capsys.readouterr().out)["complete"] is False
    (workdir / "config.toml").write_text("[rules]\nsurvey_min_vote = 1\n", encoding="utf-8")
    assert main(argv) == 2
    assert _one_line(capsys) == "config.toml: rules.survey_min_vote: unknown setting"


def test_calendar_notice_spans_national_day(workdir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["calendar", "notice", "2026-09-30"]) == 0
    out = capsys.readouterr().out.splitlines()
    # 1–7 October off; Saturday 10 October is an adjusted working day (调休).
    assert out == [
        "published 2026-09-30(三): on notice 3 working days, "
        "2026-10-08(四), 2026-10-09(五), 2026-10-10(六)",
        "closes 2026-10-10 17:30 (Asia/Shanghai, end of office hours)",
    ]
    (workdir / "config.toml").write_text(
        '[rules]\nnotice_working_days = 5\noffice_hours_end = "18:00"\n', encoding="utf-8")
    assert main(["calendar", "notice", "2026-09-30"]) == 0
    assert "closes 2026-10-13 18:00" in capsys.readouterr().out
    for bad in ("2026-09-31", "30.09.2026", "tomorrow"):
        assert main(["calendar", "notice", bad]) == 2
        assert _one_line(capsys) == (f"awardbot: calendar notice: {bad!r} is not a date; "
                                     "use YYYY-MM-DD")


def test_calendar_notice_uses_loaded_years(workdir: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["calendar", "notice", "2026-12-30"]) == 2
    assert "no official working-day calendar for 2027" in _one_line(capsys)
    (workdir / "2027.json").write_text(json.dumps(
        {"year": 2027, "holidays": ["2027-01-01", "2027-01-04"]}), encoding="utf-8")
    assert main(["calendar", "load", "2027.json"]) == 0
    capsys.readouterr()
    assert main(["calendar", "notice", "2026-12-30"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "published 2026-12-30(三): on notice 3 working days, "
        "2026-12-31(四), 2027-01-05(二), 2027-01-06(三)",
        "closes 2027-01-06 17:30 (Asia/Shanghai, end of office hours)",
    ]


def test_run_refuses_wording_its_fonts_cannot_draw(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWARDBOT__TELEGRAM__TOKEN", "1:x")
    (workdir / "config.toml").write_text('[documents]\ncertificate_title = "荣誉证书🎉"\n',
                                         encoding="utf-8")
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["run"]) == 2  # before any polling: the certificates would draw boxes
    assert "no glyph for 🎉" in _one_line(capsys)


def test_round_list_shows_the_id_that_export_asks_for(
        workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["round", "open", "sanniu", "2026Q4", "--closes", "2026-12-20 17:30"]) == 0
    capsys.readouterr()
    assert main(["round", "list"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split("\t")[0] == "ROUND_ID"
    assert row.split("\t")[:3] == ["1", "sanniu", "2026Q4"]
    assert main(["export", "round", "1", "--xlsx", "r1.xlsx"]) == 0
    size = (workdir / "r1.xlsx").stat().st_size
    assert capsys.readouterr().out.strip() == f"wrote r1.xlsx ({size} bytes)"
