"""Lines shared by several sheets: judged means and satisfaction surveys."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction

from ..catalogue import Catalogue, Names
from ..exact import ZERO
from ..facts import Judged, Tally
from ..messages import Message
from ..rules import RATING_LEVELS, Rules
from .base import Line, line


@dataclass(frozen=True)
class JudgedResult:
    mean: Fraction | None
    valid: int
    problems: tuple[Message, ...]


def judge(judged: Judged, item: Names, low: Fraction, high: Fraction,
          step: Fraction | None = None, allowed: Collection[Fraction] = ()) -> JudgedResult:
    """Exact mean of the valid scores; missing and invalid scores become problems."""
    problems: list[Message] = []
    total, count = ZERO, 0
    for member, score in judged.scores:
        if score is None:
            problems.append(Message("score_missing", {"item": item, "member": member}))
            continue
        value = Fraction(score)
        params = {"item": item, "member": member, "value": score}
        if allowed and value not in allowed:
            shown = " / ".join(str(a) for a in sorted(allowed))
            problems.append(Message("score_not_allowed", {**params, "allowed": shown}))
        elif not low <= value <= high:
            problems.append(Message("score_out_of_range", {**params, "low": low, "high": high}))
        elif step and value % step:
            problems.append(Message("score_off_step", {**params, "step": step}))
        else:
            total += value
            count += 1
    if not count and not problems:
        problems.append(Message("no_scores", {"item": item}))
    return JudgedResult(total / count if count else None, count, tuple(problems))


def judged_line(item: str, judged: Judged, catalogue: Catalogue, low: Fraction, high: Fraction,
                step: Fraction | None) -> tuple[Line, tuple[Message, ...]]:
    names = catalogue.item(item)
    result = judge(judged, names, low, high, step)
    mean = result.mean if result.mean is not None else ZERO
    input_ = Message("in_scores", {"count": result.valid, "recused": len(judged.recused)})
    rule = Message("rule_judged", {"low": low, "high": high})
    return line(item, catalogue, input_, rule, mean, low, high), result.problems


def rating_points(rules: Rules) -> tuple[Fraction, ...]:
    return tuple(Fraction(rules.rating_points[level]) for level in RATING_LEVELS)


def tally_mean(tally: Tally, rules: Rules) -> Fraction:
    """Exact mean of the ratings in ``tally`` (0 with no votes)."""
    votes = tally.votes
    if not votes:
        return ZERO
    weighted = sum((p * c for p, c in zip(rating_points(rules), tally.counts, strict=True)), ZERO)
    return weighted / votes


def _tally_input(tally: Tally) -> Message:
    return Message("in_tally", {"votes": tally.votes, **tally.as_dict()})


def ratings_line(item: str, tally: Tally, rules: Rules, catalogue: Catalogue) -> Line:
    rule = Message("rule_ratings", dict(rules.rating_points))
    return line(item, catalogue, _tally_input(tally), rule, tally_mean(tally, rules))


def survey_line(tally: Tally, rules: Rules, catalogue: Catalogue
                ) -> tuple[Line, tuple[Message, ...]]:
    """The satisfaction-survey line; incomplete below the minimum vote count."""
    rule = Message("rule_survey", {"minimum": rules.survey_min_votes})
    result = line("satisfaction", catalogue, _tally_input(tally), rule, tally_mean(tally, rules))
    if tally.votes < rules.survey_min_votes:
        problem = Message("survey_incomplete",
                          {"votes": tally.votes, "minimum": rules.survey_min_votes})
        return result, (problem,)
    return result, ()
