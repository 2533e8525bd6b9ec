"""Texts of score-sheet lines (inputs and rules), by code, in zh and en."""

from __future__ import annotations

SHEET_TEXTS: dict[str, tuple[str, str]] = {
    # inputs
    "in_accidents": ("{count} 起（造成严重后果 {serious} 起）",
                     "{count} accident(s), {serious} with serious consequences"),
    "in_violations": ("{count} 人次", "{count} person-violation(s)"),
    "in_tally": ("{votes} 票：很满意 {very_satisfied}、满意 {satisfied}、比较满意 "
                 "{fairly_satisfied}、一般 {average}、不满意 {dissatisfied}",
                 "{votes} vote(s): very satisfied {very_satisfied}, satisfied {satisfied}, "
                 "fairly satisfied {fairly_satisfied}, average {average}, "
                 "dissatisfied {dissatisfied}"),
    "in_cases": ("{count} 件", "{count} case(s)"),
    "in_honours": ("{count} 项，计分 {counted} 项", "{count} honour(s), {counted} counted"),
    "in_reports": ("{count} 篇，录用 {adopted} 篇", "{count} report(s), {adopted} adopted"),
    "in_visits": ("{count} 次，其中百名局长驻窗口 {excluded} 次不计",
                  "{count} visit(s), {excluded} under 百名局长驻窗口 not counted"),
    "in_key_work": ("{count} 项：{means}", "{count} item(s): {means}"),
    "in_scores": ("{count} 位成员评分，{recused} 位回避",
                  "{count} member score(s), {recused} recused"),
    "in_rate": ("{rate}%，最高 {best}%", "{rate}%, best {best}%"),
    "in_missing": ("缺 {count} 项", "{count} missing"),
    "in_shortfalls": ("{count} 处不足", "{count} shortfall(s)"),
    "in_findings": ("{count} 处问题", "{count} finding(s)"),
    "in_utilities": ("{count} 个：{names}", "{count}: {names}"),
    "in_recognitions": ("{count} 项，去重后 {distinct} 项", "{count} listed, {distinct} distinct"),
    "in_subtotal": ("小计 {subtotal}", "subtotal {subtotal}"),
    "in_criteria": ("佐证条件 {criteria}", "criteria evidenced: {criteria}"),
    # rules
    "rule_deduct": ("{base} 分，每项扣 {per} 分，最低 0", "{base} less {per} each, floor 0"),
    "rule_ratings": ("很满意 {very_satisfied}、满意 {satisfied}、比较满意 {fairly_satisfied}、"
                     "一般 {average}、不满意 {dissatisfied}，取平均",
                     "very satisfied {very_satisfied}, satisfied {satisfied}, fairly "
                     "satisfied {fairly_satisfied}, average {average}, dissatisfied "
                     "{dissatisfied}; mean"),
    "rule_survey": ("全系统测评，五档评分取平均，不少于 {minimum} 票",
                    "system-wide survey, mean of five-level ratings, at least {minimum} votes"),
    "rule_bands": ("分档：{bands}", "bands: {bands}"),
    "rule_honours": ("县（市）级 +{county}、市级 +{municipal}、省（部）级及以上 +{provincial}；"
                     "上级条线部门降一档；审批局、本级部门表彰不计；上限 {cap}",
                     "county +{county}, municipal +{municipal}, provincial or above "
                     "+{provincial}; higher-level line department one tier lower; bureau "
                     "and own department excluded; cap {cap}"),
    "rule_information": ("局简报、微信、微博录用 +{adopted}；未录用 +{not_adopted}（每季度最多 "
                         "{quarter_cap}）；昆山 +{kunshan}、苏州 +{suzhou}、省（部）级及以上 "
                         "+{provincial}；同一篇按最高级计一次；上限 {cap}",
                         "adopted by bureau briefing/WeChat/Weibo +{adopted}; not adopted "
                         "+{not_adopted} (at most {quarter_cap} a quarter); Kunshan "
                         "+{kunshan}, Suzhou +{suzhou}, provincial or above +{provincial}; "
                         "a report counts once at its highest level; cap {cap}"),
    "rule_leaders": ("分管领导 +{in_charge}、主要领导 +{principal}，百名局长驻窗口不计；上限 {cap}",
                     "leader in charge +{in_charge}, principal leader +{principal}, "
                     "百名局长驻窗口 excluded; cap {cap}"),
    "rule_key_work": ("每项 {low}–{high}，考评小组评分平均；上限 {cap}",
                      "each item {low}–{high}, mean of the group's scores; cap {cap}"),
    "rule_judged": ("考评小组成员评分平均（回避不计），每人 {low}–{high}",
                    "mean of non-recused members' scores, each {low}–{high}"),
    "rule_pilot": ("0 或 {points}，考评小组评分平均", "0 or {points}, mean of the group's scores"),
    "rule_proportional": ("最高者 {max}，其余按比例：{max} × 本厅 ÷ 最高",
                          "best hall {max}, others proportionally: {max} × this ÷ best"),
    "rule_each": ("每个 +{each}，上限 {cap}", "+{each} each, cap {cap}"),
    "rule_levels": ("{levels}；同一内容按最高级计一次；上限 {cap}",
                    "{levels}; the same content counts once at its highest level; cap {cap}"),
    "rule_section_cap": ("本部分上限 {max}", "section capped at {max}"),
    "rule_section_floor": ("本部分最低 0", "section floored at 0"),
}
