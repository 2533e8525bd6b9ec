"""``awardbot score``: happy paths and bad files (one line on stderr, exit 2)."""

import argparse
import json

import pytest

from awardbot.bot.cli import score as score_command

WINDOW_FACTS = {
    "case_volume": 5000, "recipient_ratings": {"very_satisfied": 3, "satisfied": 1},
    "honours": [{"title": "省级表彰", "level": "provincial"}],
    "satisfaction": {"very_satisfied": 12},
}


def _args(*argv):
    parser = argparse.ArgumentParser(prog="awardbot")
    score_command.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["score", *argv])


def _write(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _envelope(nid, award, facts, minute=0):
    return {"id": nid, "award": award, "submitted_at": f"2026-10-09T10:{minute:02d}:00+08:00",
            "facts": facts}


def test_score_one_in_chinese(tmp_path, capsys):
    path = _write(tmp_path / "w.json", WINDOW_FACTS)
    assert score_command.run(_args("--award", "zuimei_window", str(path))) == 0
    out = capsys.readouterr().out
    assert "最美政务窗口" in out
    assert "合计：85" in out
    assert "办件量" in out


def test_score_one_in_english_and_json(tmp_path, capsys):
    path = _write(tmp_path / "w.json", WINDOW_FACTS)
    assert score_command.run(_args("--award", "zuimei_window", str(path), "--lang", "en")) == 0
    assert "Total: 85" in capsys.readouterr().out
    assert score_command.run(_args("--award", "zuimei_window", str(path), "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "85"
    assert data["sections"][3]["points"] == "5.5"


def test_score_round_ranks(tmp_path, capsys):
    for i in range(3):
        facts = {**WINDOW_FACTS, "case_volume": (0, 1500, 5000)[i]}
        _write(tmp_path / f"n{i}.json", _envelope(f"n{i}", "zuimei_window", facts, i))
    _write(tmp_path / "s.json", _envelope("s", "ruzi_niu",
                                         {"criteria": [1], "grades": {"a": 9, "b": 8.5}}))
    assert score_command.run(_args("--round", str(tmp_path), "--lang", "en")) == 0
    out = capsys.readouterr().out
    assert "Most Beautiful Service Window (places 12)" in out
    assert "   1  n2  85  shortlisted" in out
    assert "   3  n0  84.5  shortlisted" in out
    assert score_command.run(_args("--round", str(tmp_path), "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    entries = data["rankings"]["zuimei_window"]["entries"]
    assert [e["id"] for e in entries] == ["n2", "n1", "n0"]
    assert data["rankings"]["ruzi_niu"]["entries"][0]["total"] == "8.75"


@pytest.mark.parametrize(("content", "expected"), [
    ('{"honours": [{"title": "a", "level": "county"}, {"title": "b", "level": "x"}]}',
     "honours[1].level: must be one of county, municipal, provincial"),
    ('{"case_volume": }', "line 1 column 17: invalid JSON"),
    ('{"case_volume": -3}', "case_volume: must be a whole number ≥ 0"),
])
def test_bad_facts_file(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert score_command.run(_args("--award", "zuimei_window", str(path))) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert "\n" not in err
    assert "Traceback" not in err
    assert err.startswith(str(path))
    assert expected in err


def test_bad_file_in_round(tmp_path, capsys):
    _write(tmp_path / "a.json", _envelope("a", "zuimei_window", WINDOW_FACTS))
    bad = {"id": "b", "award": "zuimei_window", "submitted_at": "2026-10-09T10:00:00+08:00",
           "facts": {**WINDOW_FACTS, "honours": [{"title": "x", "level": "galactic"}]}}
    _write(tmp_path / "b.json", bad)
    assert score_command.run(_args("--round", str(tmp_path))) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"{tmp_path / 'b.json'}: facts.honours[0].level: must be one of county, "
                   "municipal, provincial")


def test_duplicate_ids_and_missing_files(tmp_path, capsys):
    for name in ("a", "b"):
        _write(tmp_path / f"{name}.json", _envelope("same", "zuimei_window", WINDOW_FACTS))
    assert score_command.run(_args("--round", str(tmp_path))) == 2
    assert "duplicate nomination id 'same'" in capsys.readouterr().err
    assert score_command.run(_args("--award", "zuimei_window", str(tmp_path / "none"))) == 2
    assert "cannot read" in capsys.readouterr().err
    assert score_command.run(_args("--award", "nope", str(tmp_path / "a.json"))) == 2
    assert "unknown award 'nope'" in capsys.readouterr().err


def test_rules_file(tmp_path, capsys):
    path = _write(tmp_path / "w.json", WINDOW_FACTS)
    rules = tmp_path / "config.toml"
    rules.write_text("[rules]\nsurvey_min_votes = 20\n", encoding="utf-8")
    assert score_command.run(_args("--award", "zuimei_window", str(path),
                                   "--rules", str(rules))) == 0
    assert "少于 20 票" in capsys.readouterr().out
    rules.write_text("[rules]\nsurvey_min_votes = -1\n", encoding="utf-8")
    assert score_command.run(_args("--award", "zuimei_window", str(path),
                                   "--rules", str(rules))) == 2
    assert "rules.survey_min_votes: must be a whole number ≥ 0" in capsys.readouterr().err
