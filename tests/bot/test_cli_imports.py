"""Quick start-up: a command imports neither the Bot API stack nor the database layer
unless it uses them. Each case runs in a fresh interpreter and reads its ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("telegram", "aiohttp", "httpx", "sqlalchemy", "alembic", "asyncpg", "aiosqlite")
PROBE = """
import json, sys
from awardbot.bot.cli.main import main
try:
    status = main(sys.argv[1:])
except SystemExit as stop:
    status = stop.code
print(json.dumps({"status": status, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def _run(cwd: Path, *argv: str) -> tuple[int, set[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["status"], set(result["modules"])


@pytest.mark.parametrize("argv", [
    ["--help"],
    ["score", "--help"],
    ["score", "--award", "zuimei_window", "facts.json"],
    ["score", "--award", "zuimei_window", "facts.json", "--rules", "config.toml"],
    ["calendar", "notice", "not-a-date"],  # refused before the database is opened
])
def test_commands_that_need_neither_stack_import_neither(tmp_path: Path,
                                                         argv: list[str]) -> None:
    (tmp_path / "facts.json").write_text('{"case_volume": 5000}', encoding="utf-8")
    (tmp_path / "config.toml").write_text(  # a full configuration, database and all
        '[database]\nurl = "postgresql://bot@db.example/awardbot"\n'
        "[rules]\nsurvey_min_votes = 1\n", encoding="utf-8")
    status, modules = _run(tmp_path, *argv)
    assert status in (0, 2)
    assert modules.isdisjoint(HEAVY), sorted(modules.intersection(HEAVY))


def test_the_probe_sees_a_command_that_uses_the_database(tmp_path: Path) -> None:
    status, modules = _run(tmp_path, "db", "check")
    assert status == 2  # not migrated
    assert {"sqlalchemy", "alembic", "aiosqlite"} <= modules
