"""Build facts dataclasses from JSON-like dicts (schema and examples: docs/facts.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import facts_read as r
from .catalogue import Catalogue, default_catalogue
from .errors import FactsError
from .facts import (
    ACCIDENT_KINDS,
    ADOPTERS,
    HONOUR_ISSUERS,
    KEY_WORK_KINDS,
    SERVICE_ITEMS,
    STAFF_SECTIONS,
    Accident,
    Facts,
    GradeFacts,
    HallFacts,
    Honour,
    KeyWorkItem,
    LeaderVisit,
    Nomination,
    Recognition,
    Report,
    StaffFacts,
    WindowFacts,
)
from .points import HONOUR_LEVELS, INNOVATION_LEVELS, LEADER_KINDS, MEDIA_LEVELS


def parse_grades(data: Any, path: str, criteria_count: int) -> GradeFacts:
    data = r.obj(path, data, ("criteria", "grades"), ("criteria", "grades"))
    cited = r.items(r.at(path, "criteria"), data["criteria"])
    if not cited:
        raise FactsError(r.at(path, "criteria"), "an application cites at least one criterion")
    numbers = [r.whole(r.at(r.at(path, "criteria"), i), c, 1, criteria_count)
               for i, c in enumerate(cited)]
    return GradeFacts(tuple(sorted(set(numbers))), r.judged(r.at(path, "grades"), data["grades"]))


def parse_staff(data: Any, path: str) -> StaffFacts:
    data = r.obj(path, data, ("sections", "satisfaction"), ("sections",))
    where = r.at(path, "sections")
    sections = r.obj(where, data["sections"], STAFF_SECTIONS, STAFF_SECTIONS)
    judged = tuple(r.judged(r.at(where, key), sections[key]) for key in STAFF_SECTIONS)
    survey = r.tally(r.at(path, "satisfaction"), data.get("satisfaction", {}))
    return StaffFacts(judged, survey)  # type: ignore[arg-type]


def _listed(path: str, data: Mapping[str, Any], key: str, read: Any) -> tuple[Any, ...]:
    where = r.at(path, key)
    return tuple(read(r.at(where, i), v) for i, v in enumerate(r.items(where, data.get(key, []))))


def _accident(path: str, v: Any) -> Accident:
    v = r.obj(path, v, ("kind", "serious", "note"), ("kind",))
    return Accident(r.choice(r.at(path, "kind"), v["kind"], ACCIDENT_KINDS),
                    r.flag(r.at(path, "serious"), v.get("serious", False)),
                    r.text(r.at(path, "note"), v.get("note", ""), empty=True))


def _honour(path: str, v: Any) -> Honour:
    v = r.obj(path, v, ("title", "level", "issuer"), ("title", "level"))
    return Honour(r.text(r.at(path, "title"), v["title"]),
                  r.choice(r.at(path, "level"), v["level"], HONOUR_LEVELS),
                  r.choice(r.at(path, "issuer"), v.get("issuer", "other"), HONOUR_ISSUERS))


def _report(path: str, v: Any) -> Report:
    v = r.obj(path, v, ("id", "title", "quarter", "adopted_by"), ("id", "quarter"))
    where = r.at(path, "adopted_by")
    adopters = [r.choice(r.at(where, i), a, ADOPTERS)
                for i, a in enumerate(r.items(where, v.get("adopted_by", [])))]
    return Report(r.text(r.at(path, "id"), v["id"]),
                  r.whole(r.at(path, "quarter"), v["quarter"], 1, 4), frozenset(adopters))


def _visit(path: str, v: Any) -> LeaderVisit:
    v = r.obj(path, v, ("leader", "hundred_directors", "date", "note"), ("leader",))
    return LeaderVisit(r.choice(r.at(path, "leader"), v["leader"], LEADER_KINDS),
                       r.flag(r.at(path, "hundred_directors"), v.get("hundred_directors", False)))


def _key_work(path: str, v: Any) -> KeyWorkItem:
    v = r.obj(path, v, ("kind", "title", "scores"), ("kind", "title", "scores"))
    return KeyWorkItem(r.choice(r.at(path, "kind"), v["kind"], KEY_WORK_KINDS),
                       r.text(r.at(path, "title"), v["title"]),
                       r.judged(r.at(path, "scores"), v["scores"]))


WINDOW_KEYS = ("accidents", "staffing_violations", "recipient_ratings", "case_volume",
               "honours", "reports", "leader_visits", "key_work", "satisfaction")


def parse_window(data: Any, path: str) -> WindowFacts:
    data = r.obj(path, data, WINDOW_KEYS)
    return WindowFacts(
        accidents=_listed(path, data, "accidents", _accident),
        staffing_violations=r.whole(r.at(path, "staffing_violations"),
                                    data.get("staffing_violations", 0)),
        recipient_ratings=r.tally(r.at(path, "recipient_ratings"),
                                  data.get("recipient_ratings", {})),
        case_volume=r.whole(r.at(path, "case_volume"), data.get("case_volume", 0)),
        honours=_listed(path, data, "honours", _honour),
        reports=_listed(path, data, "reports", _report),
        leader_visits=_listed(path, data, "leader_visits", _visit),
        key_work=_listed(path, data, "key_work", _key_work),
        satisfaction=r.tally(r.at(path, "satisfaction"), data.get("satisfaction", {})),
    )


def _recognition(levels: tuple[str, ...]) -> Any:
    def read(path: str, v: Any) -> Recognition:
        v = r.obj(path, v, ("content", "level"), ("content", "level"))
        return Recognition(r.text(r.at(path, "content"), v["content"]),
                           r.choice(r.at(path, "level"), v["level"], levels))
    return read


HALL_COUNTS = ("function_zones_missing", "one_window_shortfalls", "epidemic_shortfalls",
               "resumption_shortfalls")
HALL_KEYS = ("onboarding_rate", "guide_accuracy", *HALL_COUNTS, "utility_windows",
             "service_findings", "innovations", "media_reports", "pilot_reform", "satisfaction")


def parse_hall(data: Any, path: str) -> HallFacts:
    data = r.obj(path, data, HALL_KEYS, ("onboarding_rate", "guide_accuracy"))
    where = r.at(path, "service_findings")
    findings = r.obj(where, data.get("service_findings", {}), SERVICE_ITEMS)
    utilities = _listed(path, data, "utility_windows", r.text)
    return HallFacts(
        onboarding_rate=r.decimal(r.at(path, "onboarding_rate"), data["onboarding_rate"], 0, 100),
        guide_accuracy=r.decimal(r.at(path, "guide_accuracy"), data["guide_accuracy"], 0, 100),
        **{key: r.whole(r.at(path, key), data.get(key, 0)) for key in HALL_COUNTS},
        utility_windows=frozenset(u.strip() for u in utilities),
        service_findings=tuple(  # type: ignore[arg-type]
            r.whole(r.at(where, k), findings.get(k, 0)) for k in SERVICE_ITEMS),
        innovations=_listed(path, data, "innovations", _recognition(INNOVATION_LEVELS)),
        media_reports=_listed(path, data, "media_reports", _recognition(MEDIA_LEVELS)),
        pilot_reform=r.judged(r.at(path, "pilot_reform"), data.get("pilot_reform", {})),
        satisfaction=r.tally(r.at(path, "satisfaction"), data.get("satisfaction", {})),
    )


def parse_facts(award: str, data: Any, catalogue: Catalogue | None = None,
                path: str = "") -> Facts:
    """Facts for ``award`` from a JSON-like dict; raises :class:`FactsError`."""
    catalogue = catalogue or default_catalogue()
    if award not in catalogue.awards:
        raise FactsError("award", f"must be one of {', '.join(catalogue.awards)}")
    spec = catalogue.award(award)
    if spec.sheet == "grades":
        return parse_grades(data, path, len(spec.criteria))
    if spec.sheet == "staff":
        return parse_staff(data, path)
    if spec.sheet == "window":
        return parse_window(data, path)
    return parse_hall(data, path)


def parse_nomination(data: Any, catalogue: Catalogue | None = None) -> Nomination:
    """A round file's envelope: ``{"id", "award", "submitted_at", "facts"}``."""
    catalogue = catalogue or default_catalogue()
    keys = ("id", "award", "submitted_at", "facts")
    data = r.obj("", data, keys, keys)
    award = r.choice("award", data["award"], tuple(catalogue.awards))
    stamp = r.text("submitted_at", data["submitted_at"])
    try:
        submitted = datetime.fromisoformat(stamp)
    except ValueError:
        submitted = None
    if submitted is None or submitted.utcoffset() is None:
        raise FactsError("submitted_at", "must be an ISO 8601 time with an offset, "
                                         'e.g. "2026-10-09T10:30:00+08:00"')
    facts = parse_facts(award, data["facts"], catalogue, "facts")
    return Nomination(r.text("id", str(data["id"])), award, submitted, facts)
