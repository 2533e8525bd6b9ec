"""Roles from the roster. Who holds them is data; never a name in code."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    STAFF = "staff"
    LEADER = "leader"  # 部门领导: signs for the units they lead
    SUPERVISION = "supervision"  # 督查科
    EVALUATOR = "evaluator"  # 考评小组 member
    EVAL_LEADER = "eval_leader"  # 考评小组 组长
    ADMIN = "admin"


ALL_ROLES = frozenset(Role)
