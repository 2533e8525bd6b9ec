"""Renderers run in a worker process, as the bot runs the 申报表: inputs and outputs pickle."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

from awardbot.documents.certificates import certificates_pdf
from awardbot.documents.charts_ranking import ranking_chart
from awardbot.documents.notice import notice_pdf
from tests.documents.samples import NOTICE, certificates, winners
from tests.documents.test_charts import BALLOTS, OVERVIEW, RANKING


def test_every_input_pickles() -> None:
    for value in (NOTICE, certificates(3), winners(2), RANKING, OVERVIEW, BALLOTS):
        assert pickle.loads(pickle.dumps(value)) == value


def test_made_in_a_spawned_worker_as_in_the_bot() -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        pdf = pool.submit(notice_pdf, NOTICE).result(timeout=120)
        batch = pool.submit(certificates_pdf, certificates(3)).result(timeout=120)
        chart = pool.submit(ranking_chart, RANKING).result(timeout=120)
    assert pdf == notice_pdf(NOTICE)
    assert batch.startswith(b"%PDF-") and chart.png.startswith(b"\x89PNG")
    assert chart.summary == ranking_chart(RANKING).summary
