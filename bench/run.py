"""`make bench`: run every bench/bench_*.py and print one table.

Each module defines ``run() -> list[dict]`` with rows
``{"benchmark", "metric", "value", "target", "ok"}``. Figures are ratios and counts
measured in one run on this machine; BENCHMARKS.md records them.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(selected: list[str]) -> int:
    rows: list[dict[str, object]] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if selected and path.stem.removeprefix("bench_") not in selected:
            continue
        started = time.perf_counter()
        print(f"running {path.stem} …", file=sys.stderr, flush=True)
        rows.extend(_load(path).run())
        print(f"  {path.stem} took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    table = [list(COLUMNS)] + [[_cell(row[k]) for k in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    for line in table:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
    return 0 if all(r["ok"] for r in rows) else 1


COLUMNS = ("benchmark", "metric", "value", "target", "ok")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return str(value)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
