"""Benchmark: a round's 90 certificates as one PDF, and its notice (PDF and Word).

Protocol: ``run()`` returns result rows; ``python bench/bench_documents.py`` prints them.

Each measurement runs in a fresh child process, as in a worker process of the bot: the
first call there pays for loading the fonts and the typesetter (cold), the next is warm.
Peak memory is the child's maximum resident set size (the typesetter's memory is native,
so the Python heap alone would understate it). The same file run with ``--child WHAT``
is the child; it prints one JSON line.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COUNT = 90
TARGETS_S = {"certificates": 3.0, "notice": 2.0}
TARGET_MB = 250
NAMES = ("张晓梅", "李娜", "欧阳娜娜", "王建国", "赵敏", "刘芳", "陈晓东", "杨洋", "黄磊", "周杰")
UNITS = ("市场监管综合窗口", "不动产登记窗口", "审批一科", "办公室", "周庄分中心",
         "社会事务综合受理窗口（城东政务服务分中心）")
AWARDS = ("孺子牛奖", "拓荒牛奖", "老黄牛奖")


def _inputs():  # type: ignore[no-untyped-def]
    from awardbot.documents.model import (
        AwardGroup,
        Certificate,
        CertificateBatch,
        DocumentStyle,
        NoticeData,
        RoundLabel,
        Winner,
    )

    style = DocumentStyle(bureau_name="示例市行政审批局", seal_text="示例市行政审批局")
    label = RoundLabel("三牛奖", 2026, 4)
    groups = tuple(AwardGroup(award, "person", tuple(
        Winner(f"{NAMES[i % 10]}{i // 10 or ''}", UNITS[i % 6]) for i in range(COUNT // 3)))
        for award in AWARDS)
    batch = CertificateBatch(tuple(
        Certificate(label, g.award, "person", w.name, w.unit, date(2027, 1, 12), f"SN-{n:04d}")
        for g in groups for n, w in enumerate(g.winners, start=1)), style)
    notice = NoticeData(label, groups, date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 24),
                        datetime(2026, 12, 24, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
                        style=style)
    return batch, notice


def child(what: str) -> None:
    from awardbot.documents.certificates import certificates_pdf
    from awardbot.documents.notice import notice_pdf
    from awardbot.documents.notice_docx import notice_docx

    batch, notice = _inputs()
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def make() -> int:
        if what == "certificates":
            return len(certificates_pdf(batch))
        return len(notice_pdf(notice)) + len(notice_docx(notice))

    began = time.perf_counter()
    size = make()
    cold = time.perf_counter() - began
    began = time.perf_counter()
    make()
    warm = time.perf_counter() - began
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"cold": cold, "warm": warm, "bytes": size, "peak_mb": peak_kb / 1024,
                      "imports_mb": before_kb / 1024}))


def _measure(what: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", what], capture_output=True,
                          text=True, check=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> list[dict]:
    rows: list[dict] = []
    for what, label in (("certificates", f"{COUNT} certificates, one PDF"),
                        ("notice", f"notice of {COUNT} winners, PDF + DOCX")):
        found = _measure(what)
        target = TARGETS_S[what]
        rows += [
            {"benchmark": "documents", "metric": f"{label}: cold, fresh process (s)",
             "value": round(found["cold"], 3), "target": f"< {target}",
             "ok": found["cold"] < target},
            {"benchmark": "documents", "metric": f"{label}: warm (s)",
             "value": round(found["warm"], 3), "target": "reported", "ok": True},
            {"benchmark": "documents", "metric": f"{label}: output (kB)",
             "value": round(found["bytes"] / 1024), "target": "reported", "ok": True},
            {"benchmark": "documents", "metric": f"{label}: peak RSS (MB; {found['imports_mb']:.0f}"
                                                 " after imports)",
             "value": round(found["peak_mb"]), "target": f"< {TARGET_MB}",
             "ok": found["peak_mb"] < TARGET_MB},
        ]
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        for row in run():
            print(row)
