"""User-facing texts of the scoring layer, by code, in zh and en.

A :class:`Message` is a code plus parameters; it renders in either language. Number
parameters are shown with :func:`~awardbot.scoring.exact.fmt`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .exact import fmt
from .sheet_texts import SHEET_TEXTS

TEMPLATES: Mapping[str, tuple[str, str]] = MappingProxyType({
    # eligibility
    "window_gate_below": ("窗口考核月均 {average} 分，未达 {threshold} 分",
                          "window assessment monthly average {average}, below {threshold}"),
    "window_gate_passed": ("窗口考核月均 {average} 分，达到 {threshold} 分",
                           "window assessment monthly average {average}, at least {threshold}"),
    "window_gate_not_assessed": ("{period} 无窗口考核成绩，视为未参加考核",
                                 "not assessed: no window assessment scores in {period}"),
    "window_gate_exempt": ("非窗口工作人员，不适用窗口考核门槛",
                           "not window staff: the window-assessment gate does not apply"),
    "window_average_below": ("窗口人员加权月均 {average} 分，未达 {threshold} 分",
                             "window staff-weighted monthly average {average}, below {threshold}"),
    "window_average_passed": ("窗口人员加权月均 {average} 分，达到 {threshold} 分",
                              "window staff-weighted monthly average {average}, "
                              "at least {threshold}"),
    "window_not_assessed": ("{period} 窗口人员无考核成绩，视为未参加考核",
                            "not assessed: the window's staff have no scores in {period}"),
    "service_too_short": ("截至 {closing} 连续工作 {years} 年未满（{start} 起）",
                          "less than {years} year(s) of continuous service by {closing} "
                          "(since {start})"),
    "service_passed": ("截至 {closing} 连续工作满 {years} 年",
                       "at least {years} year(s) of continuous service by {closing}"),
    "service_start_unknown": ("缺少参加工作时间，无法核定工作年限",
                              "service start date unknown: service years cannot be checked"),
    "unit_kind_not_eligible": ("{unit_kind}类单位不在本奖项申报范围内",
                               "unit kind {unit_kind} may not apply for this award"),
    "subject_mismatch": ("本奖项的申报对象为{expected}", "this award is for a {expected}"),
    # sheet problems and holds
    "score_missing": ("{item}：{member} 尚未评分", "{item}: no score yet from {member}"),
    "score_out_of_range": ("{item}：{member} 的评分 {value} 超出 {low}–{high}",
                           "{item}: score {value} from {member} outside {low}–{high}"),
    "score_off_step": ("{item}：{member} 的评分 {value} 不是 {step} 的整数倍",
                       "{item}: score {value} from {member} is not a multiple of {step}"),
    "score_not_allowed": ("{item}：{member} 的评分 {value} 只能为 {allowed}",
                          "{item}: score {value} from {member} must be one of {allowed}"),
    "no_scores": ("{item}：无有效评分", "{item}: no valid scores"),
    "survey_incomplete": ("满意度测评仅 {votes} 票，少于 {minimum} 票，暂不计分",
                          "satisfaction survey has {votes} votes, fewer than {minimum}: "
                          "incomplete"),
    "serious_accident": ("发生造成严重后果的安全责任事故，另行处理，不自动入围",
                         "safety accident with serious consequences: handled separately, "
                         "not shortlisted automatically"),
    "sheet_incomplete": ("评分表不完整：{detail}", "score sheet incomplete: {detail}"),
    "tie_at_cut": ("与名额线上的其他申报完全同分，需考评小组裁定",
                   "exactly tied across the quota line: the evaluation group decides"),
    **SHEET_TEXTS,
})


def _show(value: Any, lang: str = "zh") -> str:
    if hasattr(value, "zh") and hasattr(value, "en"):  # catalogue Names
        return str(value.zh if lang == "zh" else value.en)
    if isinstance(value, Fraction | Decimal) or (isinstance(value, int) and
                                                 not isinstance(value, bool)):
        return fmt(value)
    return str(value)


@dataclass(frozen=True)
class Message:
    """A coded, parameterised text: ``render("zh")`` / ``render("en")``."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str = "zh") -> str:
        zh, en = TEMPLATES[self.code]
        shown = {key: _show(value, lang) for key, value in self.params.items()}
        return (zh if lang == "zh" else en).format(**shown)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": {k: _show(v, "en") for k, v in self.params.items()},
                "zh": self.render("zh"), "en": self.render("en")}


Reason = Message
