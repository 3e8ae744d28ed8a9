"""Simulated data: a whole country for the benchmark, or one simulated province for the demo.

Everything here is invented, deterministically: the same arguments (and the same ``seed``) give the same
units, figures, statuses, plans and inspections, row for row. Each unit draws from a random generator of its
own, seeded with the seed and its code, so a unit's figures do not depend on how many others are generated.

The figures satisfy every identity of ``dossiers/rules.py`` (the database's check constraints insist) and look
like the articles' districts: a few blanks (early, returned, fully online before 2022 are not tracked
everywhere), a few reports submitted late, a few missing, the latest quarter still being reviewed, and one
district that stopped tracking online dossiers at commune level from 2023 (the case of docs/domain.md,
§Paired sums). Rows are written with ``bulk_create`` in chunks, so a country (some 150,000 rows) takes
seconds and memory stays bounded at ten times that.

Two entry points:

- ``generate_country(scale=1, seed=SEED)``: 63 provinces, 705 districts and 10,600 communes until 30 June
  2025; 34 provinces and 3,321 communes since 1 July 2025; reports 2018Q1–2026Q3 (``scale`` multiplies the
  quarters: see ``country_quarters``). Codes are invented and unique: 01–63 and 64–97 for the provinces,
  001–705 for the districts, 00001–10600 and 20001–23321 for the communes. Only for a database of its own.
- ``generate_province(code="98", name=..., seed=SEED)``: one province that lives through the reform (as Sơn
  La did), about ten districts until 30 June 2025, about forty communes since; codes derived from the
  province's (98 → districts 980–989, communes 98001…), outside the real ranges (provinces go up to 96,
  districts to 973, communes to about 32,300), so it can sit beside real units.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cchc.lib.periods import Period
from districts.models import LEVEL_OF_KIND, Level, ReformArea, ReformPlan, ReformTask, Unit, UnitKind
from dossiers.models import LevelFigures, QuarterlyReport, ReportEvent, ReportLevel, ReportStatus
from inspections.models import InspectedUnit, InspectionSession, Recommendation, TeamMember

SEED = 20250701
LAST_OLD_DAY = date(2025, 6, 30)
REFORM_DAY = date(2025, 7, 1)
LAST_OLD_QUARTER = (2025, 2)
FIRST_NEW_QUARTER = (2025, 3)
SIMULATED_PROVINCE_NAME = "Tỉnh Mô Phỏng — dữ liệu giả lập"

# The country of issue 9: 37,755 reports of districts and communes from 2018Q1 to 2026Q3 (705 × 30 + 3,321 × 5).
OLD_PROVINCES, OLD_DISTRICTS, OLD_COMMUNES = 63, 705, 10_600
NEW_PROVINCES, NEW_COMMUNES = 34, 3_321
# A country small enough for a test or a quick run of the benchmark and the soak (``--tiny``).
TINY = {"old_provinces": 3, "old_districts": 6, "old_communes": 12, "new_provinces": 2, "new_communes": 8}
COUNTRY_FIRST, COUNTRY_LAST = (2018, 1), (2026, 3)
# Tasks in each reform plan, by level (a province keeps none): the country's, and the simulated province's.
COUNTRY_TASKS = {Level.PROVINCE: 0, Level.DISTRICT: 20, Level.COMMUNE: 8}
PROVINCE_TASKS = {Level.PROVINCE: 0, Level.DISTRICT: 24, Level.COMMUNE: 10}

# Rows per INSERT: large enough to be fast, small enough for SQLite's limit on bound parameters.
BATCH = 500
# Units whose reports are built and written together; bounds the memory whatever the number of quarters.
UNITS_PER_CHUNK = 200


@dataclass
class Generated:
    """What was generated: counts of rows, and the codes a test or a page may want to name."""

    units: int = 0
    reports: int = 0
    levels: int = 0
    events: int = 0
    plans: int = 0
    tasks: int = 0
    sessions: int = 0
    recommendations: int = 0
    provinces: list = field(default_factory=list)  # codes of the provinces, the old ones first
    stopped_online: str = ""  # the district that stopped tracking online dossiers at commune level
    first_quarter: tuple = ()
    last_quarter: tuple = ()

    def add(self, other):
        for name in ("units", "reports", "levels", "events", "plans", "tasks", "sessions", "recommendations"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# --- Quarters -------------------------------------------------------------------------------------------------


def quarters_between(first, last):
    """Every ``(year, quarter)`` from ``first`` to ``last``, both included."""
    year, quarter = first
    while (year, quarter) <= tuple(last):
        yield year, quarter
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)


def _shift(quarter, count):
    index = quarter[0] * 4 + quarter[1] - 1 + count
    return index // 4, index % 4 + 1


def country_quarters(scale=1, *, old_districts=OLD_DISTRICTS, new_communes=NEW_COMMUNES):
    """The first and last quarter of a country ``scale`` times the size of issue 9's, by reports.

    ``scale`` 1 is 2018Q1–2026Q3. A larger scale adds quarters, never units (the reads of one period should
    not slow down as years accumulate): the districts report from earlier (2000Q1 at the earliest, the first
    year the system accepts) and the communes until later, so that there are about ``scale`` times as many
    reports. ``scale`` 10 is 2000Q1–2048Q2: 377,442 reports instead of 37,755.
    """
    if scale == 1:
        return COUNTRY_FIRST, COUNTRY_LAST
    base = old_districts * 30 + new_communes * 5
    old_count = min(30 * scale, len(list(quarters_between((2000, 1), LAST_OLD_QUARTER))))
    new_count = max(1, round((scale * base - old_districts * old_count) / new_communes))
    return _shift(FIRST_NEW_QUARTER, -old_count), _shift(FIRST_NEW_QUARTER, new_count - 1)


def last_ended_quarter(today):
    """The latest quarter that has ended on ``today``."""
    current = Period.containing(today)
    previous = current.previous_quarter()
    return previous.year, previous.first_quarter


# --- Units ----------------------------------------------------------------------------------------------------


@dataclass
class SimUnit:
    """A unit as the generator plans it, before it is saved: its code, and how it behaves."""

    code: str
    name: str
    kind: str
    parent: "SimUnit | None" = None
    valid_from: date | None = None
    valid_until: date | None = None
    successors: list = field(default_factory=list)
    reports: tuple = ()  # ((first quarter, last quarter), levels) when it reports
    size: int = 0  # dossiers received a quarter at its largest level, roughly
    stopped_online_from: tuple | None = None
    pk: int | None = None

    @property
    def level(self):
        return LEVEL_OF_KIND[self.kind]

    def exists_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )


def _save_units(units):
    """Save the planned units, parents first, and their successors; sets each ``pk``."""
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        planned = [unit for unit in units if unit.level == level]
        made = Unit.objects.bulk_create(
            [
                Unit(
                    code=unit.code,
                    name=unit.name,
                    kind=unit.kind,
                    level=level,  # bulk_create skips save(), which sets it from the kind
                    parent_id=unit.parent.pk if unit.parent else None,
                    valid_from=unit.valid_from,
                    valid_until=unit.valid_until,
                )
                for unit in planned
            ],
            batch_size=BATCH,
        )
        for unit, row in zip(planned, made, strict=True):
            unit.pk = row.pk
    Through = Unit.successors.through
    Through.objects.bulk_create(
        [Through(from_unit_id=unit.pk, to_unit_id=successor.pk) for unit in units for successor in unit.successors],
        batch_size=BATCH,
    )


# --- Figures --------------------------------------------------------------------------------------------------

SEASON = {1: 0.85, 2: 1.0, 3: 1.05, 4: 1.1}  # Tết slows the first quarter; the year-end rush fills the fourth


@dataclass
class Habits:
    """What a unit tracks and how it works: drawn once per unit, so its figures look alike quarter to quarter."""

    tracks_early: bool
    tracks_returned: bool
    tracks_postal_procedures: bool
    on_time: float  # share of resolved dossiers resolved in time, roughly
    online_lead: float  # how far ahead of the country's online share


def _habits(rng):
    return Habits(
        tracks_early=rng.random() < 0.75,
        tracks_returned=rng.random() < 0.5,
        tracks_postal_procedures=rng.random() < 0.8,
        on_time=rng.choice((1.0, 0.999, 0.995, 0.99, 0.98, 0.95)),
        online_lead=rng.uniform(-0.1, 0.15),
    )


def _online_share(year, quarter):
    # From about 10% in 2018 to about 75% in 2026, as the national portal grew.
    return min(0.85, max(0.02, 0.1 + 0.08 * (year - 2018 + (quarter - 1) / 4)))


def level_figures(rng, habits, *, size, carried_over, year, quarter, tracks_online=True):
    """One level's dossier figures for a quarter; every identity of ``LEVEL_RULES`` holds."""
    received = max(0, int(size * SEASON[quarter] * rng.uniform(0.85, 1.15)))
    to_handle = carried_over + received
    returned = int(to_handle * rng.uniform(0, 0.01)) if habits.tracks_returned else None
    resolved = int((to_handle - (returned or 0)) * rng.uniform(0.86, 0.97))
    late = int(resolved * (1 - habits.on_time) * rng.uniform(0.3, 1.7))
    in_time = resolved - late
    pending = to_handle - resolved - (returned or 0)
    online = None
    if tracks_online:
        share = min(0.9, max(0.0, _online_share(year, quarter) + habits.online_lead) * rng.uniform(0.9, 1.1))
        online = int(received * share)
    # "Toàn trình" is counted apart since 2022 only.
    online_full = int(online * rng.uniform(0.3, 0.7)) if online is not None and year >= 2022 else None
    apology = late if rng.random() < 0.85 else (None if rng.random() < 0.5 else max(0, late - rng.randint(1, 3)))
    return {
        "carried_over": carried_over,
        "received": received,
        "received_online": online,
        "received_online_full": online_full,
        "received_postal": int(received * rng.uniform(0.01, 0.08)),
        "resolved": resolved,
        "resolved_in_time": in_time,
        "resolved_early": int(in_time * rng.uniform(0.2, 0.6)) if habits.tracks_early else None,
        "resolved_late": late,
        "returned": returned,
        "pending": pending,
        "pending_overdue": int(pending * rng.uniform(0, 0.08)),
        "apology_letters": apology,
    }


def report_figures(rng, habits, *, catalogue, planned, quarter):
    """A report's procedure and activity figures; year-to-date ones grow over the year, within their bounds."""
    reviewed = min(catalogue, int(catalogue * quarter * rng.uniform(0.12, 0.25)))
    return {
        "procedures_total": catalogue,
        "procedures_reviewed": reviewed,
        "procedures_simplified": int(reviewed * rng.uniform(0.1, 0.25)),
        "procedures_with_dossiers": int(catalogue * rng.uniform(0.2, 0.4)),
        "procedures_postal": int(catalogue * rng.uniform(0.4, 0.8)) if habits.tracks_postal_procedures else None,
        "procedures_online": int(catalogue * rng.uniform(0.5, 0.95)),
        "units_planned_inspection": planned,
        "units_inspected": min(planned, int(planned * quarter / 4 * rng.uniform(0.6, 1.2))),
        "communication_programmes": rng.randint(0, 4),
        "communication_articles": rng.randint(0, 10),
        "communication_news": rng.randint(0, 40) if rng.random() < 0.95 else None,
    }


# --- Statuses and their events ----------------------------------------------------------------------------------


def _status(rng, age):
    """A report's status ``age`` quarters before the last generated one; ``None``: never entered."""
    draw = rng.random()
    if age == 0:  # the quarter just ended: the province is still reviewing
        table = ((0.50, ReportStatus.APPROVED), (0.75, ReportStatus.SUBMITTED), (0.83, ReportStatus.RETURNED))
        table += ((0.93, ReportStatus.DRAFT),)
    elif age == 1:
        table = ((0.88, ReportStatus.APPROVED), (0.93, ReportStatus.SUBMITTED), (0.95, ReportStatus.RETURNED))
    else:
        table = ((0.985, ReportStatus.APPROVED),)
    return _drawn(draw, table)


def _drawn(draw, table, otherwise=None):
    """What a random ``draw`` in [0, 1) falls on: the value of the first ``(limit, value)`` of ``table`` whose
    limit it is below (the limits are cumulative shares), else ``otherwise``."""
    return next((value for limit, value in table if draw < limit), otherwise)


def _moment(day, hour, now):
    moment = timezone.make_aware(datetime.combine(day, time(hour, rng_minute(day, hour))))
    return min(moment, now)


def rng_minute(day, hour):
    # A minute that looks typed by a person, yet needs no random draw (keeps the draws per unit stable).
    return (day.toordinal() * 7 + hour * 13) % 60


def report_events(rng, report, status, now):
    """The status changes that led to ``status``: a submission (about one in 25 late), then the province's."""
    if status in (None, ReportStatus.DRAFT):
        return []
    due = Period.quarter(report.year, report.quarter).end + timedelta(days=settings.REPORT_DUE_DAYS)
    late = rng.random() < 0.04
    submitted_on = due + timedelta(days=rng.randint(1, 25)) if late else due - timedelta(days=rng.randint(0, 9))
    submitted = _moment(submitted_on, 9 + rng.randint(0, 7), now)
    events = [
        ReportEvent(report=report, from_status=ReportStatus.DRAFT, to_status=ReportStatus.SUBMITTED, at=submitted)
    ]
    answered = min(submitted + timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 5)), now)
    if status == ReportStatus.APPROVED:
        events.append(
            ReportEvent(report=report, from_status=ReportStatus.SUBMITTED, to_status=ReportStatus.APPROVED, at=answered)
        )
    elif status == ReportStatus.RETURNED:
        events.append(
            ReportEvent(
                report=report,
                from_status=ReportStatus.SUBMITTED,
                to_status=ReportStatus.RETURNED,
                at=answered,
                comment="Đề nghị kiểm tra lại số hồ sơ tồn kỳ trước (dữ liệu giả lập).",
            )
        )
    return events


# --- Writing ----------------------------------------------------------------------------------------------------


class Writer:
    """Builds and writes the rows of the planned units, chunk by chunk."""

    def __init__(self, *, seed, first, last, now, history, tasks_per_plan):
        self.seed = seed
        self.first, self.last = tuple(first), tuple(last)
        self.now = now
        self.history = history
        self.tasks_per_plan = tasks_per_plan
        self.count = Generated(first_quarter=self.first, last_quarter=self.last)
        self.all_quarters = list(quarters_between(self.first, self.last))
        self.age = {quarter: len(self.all_quarters) - 1 - i for i, quarter in enumerate(self.all_quarters)}

    def rng(self, unit, purpose):
        # String seeds are hashed (SHA-512) by ``random``: stable across runs and platforms.
        return random.Random(f"{self.seed}:{unit.code}:{purpose}")

    def create(self, model, rows, *, history_date=None):
        if not rows:
            return rows
        if self.history:
            return bulk_create_with_history(rows, model, batch_size=BATCH, default_date=history_date or self.now)
        return model.objects.bulk_create(rows, batch_size=BATCH)

    def reports(self, units):
        for start in range(0, len(units), UNITS_PER_CHUNK):
            self._reports(units[start : start + UNITS_PER_CHUNK])

    def _reports(self, units):
        reports, planned = [], []
        for unit in units:
            (first, last), levels = unit.reports
            quarters = list(quarters_between(max(first, self.first), min(last, self.last)))
            rng = self.rng(unit, "reports")
            habits = _habits(rng)
            catalogue = {Level.PROVINCE: 1800, Level.DISTRICT: 420, Level.COMMUNE: 130}[unit.level]
            catalogue = int(catalogue * rng.uniform(0.85, 1.1))
            pending = {level: int(unit.size * rng.uniform(0.05, 0.15)) for level in levels}
            for year, quarter in quarters:
                status = _status(rng, self.age[(year, quarter)])
                planned_units = 0 if unit.level == Level.COMMUNE else 8 + (year * 7 + len(unit.code)) % 12
                figures = report_figures(rng, habits, catalogue=catalogue, planned=planned_units, quarter=quarter)
                rows = {}
                for level in levels:
                    # A district's own dossiers are fewer than its communes' together (seed 004: 1,598 to 13,009).
                    size = unit.size // 6 if level == ReportLevel.DISTRICT else unit.size
                    tracks_online = not (
                        level == ReportLevel.COMMUNE
                        and unit.stopped_online_from is not None
                        and (year, quarter) >= unit.stopped_online_from
                    )
                    rows[level] = level_figures(
                        rng,
                        habits,
                        size=size,
                        carried_over=pending[level],
                        year=year,
                        quarter=quarter,
                        tracks_online=tracks_online,
                    )
                    pending[level] = rows[level]["pending"]
                if status is None:
                    continue  # never entered: the figures were drawn all the same, so later ones do not shift
                if planned_units == 0:
                    figures["units_planned_inspection"] = figures["units_inspected"] = None
                report = QuarterlyReport(unit_id=unit.pk, year=year, quarter=quarter, status=status, **figures)
                report.note = "Dữ liệu giả lập."
                reports.append(report)
                planned.append((report, rows, status, f"{unit.code}:{year}Q{quarter}"))
        reports = self.create(QuarterlyReport, reports)
        levels, events = [], []
        for report, rows, status, key in planned:
            for level, values in rows.items():
                # The flag LevelFigures.save() would set: a draft's or returned report's rows are unfinished.
                levels.append(LevelFigures(report_id=report.pk, level=level, draft=report.is_unfinished, **values))
            events += report_events(random.Random(f"{self.seed}:{key}:events"), report, status, self.now)
        self.create(LevelFigures, levels)
        ReportEvent.objects.bulk_create(events, batch_size=BATCH)
        self.count.reports += len(reports)
        self.count.levels += len(levels)
        self.count.events += len(events)

    def plans(self, units):
        """A reform plan for every year a unit reported in, with its tasks."""
        as_of = Period.quarter(*self.last).end
        for start in range(0, len(units), UNITS_PER_CHUNK):
            chunk = units[start : start + UNITS_PER_CHUNK]
            plans, tasks_of = [], []
            for unit in chunk:
                (first, last), _levels = unit.reports
                first, last = max(first, self.first), min(last, self.last)
                if first > last:
                    continue
                rng = self.rng(unit, "plans")
                count = self.tasks_per_plan[unit.level]
                for year in range(first[0], last[0] + 1):
                    plan = ReformPlan(
                        unit_id=unit.pk,
                        year=year,
                        title=f"Kế hoạch CCHC năm {year} của {unit.name}",
                        reference_number=f"{rng.randint(10, 300)}/KH-UBND",
                        issued_on=date(year, 1, rng.randint(5, 28)),
                        note="Dữ liệu giả lập.",
                    )
                    plans.append(plan)
                    tasks_of.append(self._tasks(rng, year, count, as_of))
            plans = self.create(ReformPlan, plans)
            tasks = []
            for plan, planned in zip(plans, tasks_of, strict=True):
                for task in planned:
                    task.plan_id = plan.pk
                    tasks.append(task)
            self.create(ReformTask, tasks)
            self.count.plans += len(plans)
            self.count.tasks += len(tasks)

    @staticmethod
    def _tasks(rng, year, count, as_of):
        areas = list(ReformArea.values)
        tasks = []
        for number in range(1, count + 1):
            deadline = date(year, rng.randint(3, 12), 28)
            if deadline <= as_of and rng.random() < 0.85:
                completed = min(deadline + timedelta(days=rng.randint(-60, 20)), as_of)
                completed = max(completed, date(year, 1, 15))
                status = ReformTask.Status.DONE
            else:
                completed = None
                status = ReformTask.Status.IN_PROGRESS if rng.random() < 0.7 else ReformTask.Status.NOT_STARTED
            tasks.append(
                ReformTask(
                    title=f"Nhiệm vụ {number}/{count}: {rng.choice(TASK_TITLES)}",
                    area=areas[number % len(areas)],
                    assigned_by=ReformTask.AssignedBy.PROVINCE if number % 3 else ReformTask.AssignedBy.UNIT,
                    deadline=deadline,
                    status=status,
                    completed_on=completed,
                )
            )
        return tasks

    def write(self, units, *, inspectors, children, per_unit):
        """Save ``units``, then the reports of those that report, the reform plans of those of them below a
        province, and the inspections of ``inspectors`` over their ``children``; the count of what was written."""
        _save_units(units)
        self.count.units = len(units)
        reporting = [unit for unit in units if unit.reports]
        self.reports(reporting)
        self.plans([unit for unit in reporting if unit.level != Level.PROVINCE])
        self.inspections(inspectors, children, per_unit=per_unit)
        return self.count

    def inspections(self, inspectors, children, *, per_unit):
        """Every year, one inspection session by each of ``inspectors`` that existed at the time, over a few of
        its ``children`` (units that existed that day), with recommendations."""
        as_of = Period.quarter(*self.last).end
        for year in range(self.first[0], self.last[0] + 1):
            for inspector in inspectors:
                rng = self.rng(inspector, f"inspections{year}")
                starts = date(year, 10, rng.randint(1, 20))
                if starts > as_of - timedelta(days=14):
                    starts = as_of - timedelta(days=rng.randint(20, 40))
                inspected = [unit for unit in children if unit.parent is inspector and unit.exists_on(starts)]
                if starts.year == year and inspector.exists_on(starts) and inspected:
                    self._session(rng, inspector, inspected, starts, per_unit, as_of)

    def _session(self, rng, inspector, inspected, starts, per_unit, as_of):
        ends = starts + timedelta(days=rng.randint(1, 4))
        session = InspectionSession.objects.create(
            title=f"Kiểm tra CCHC năm {starts.year} (dữ liệu giả lập)",
            inspecting_unit_id=inspector.pk,
            format=rng.choice(InspectionSession.Format.values),
            starts_on=starts,
            ends_on=ends,
            note="Dữ liệu giả lập.",
        )
        TeamMember.objects.bulk_create(
            [
                TeamMember(session=session, full_name="Trưởng đoàn (giả lập)", title="Giám đốc Sở", is_lead=True),
                TeamMember(session=session, full_name="Thành viên (giả lập)", title="Chuyên viên Sở Nội vụ"),
            ]
        )
        chosen = rng.sample(inspected, k=min(len(inspected), per_unit))
        InspectedUnit.objects.bulk_create(
            [
                InspectedUnit(
                    session=session,
                    unit_id=unit.pk,
                    inspected_on=starts + timedelta(days=index % ((ends - starts).days + 1)),
                    chaired_by="Giám đốc Sở Nội vụ",
                    attended_by="Phó Chủ tịch UBND",
                    findings="Đơn vị cơ bản hoàn thành nhiệm vụ CCHC; còn một số nhiệm vụ chậm tiến độ.",
                )
                for index, unit in enumerate(chosen)
            ]
        )
        recommendations = []
        for unit in chosen:
            for text in rng.sample(RECOMMENDATIONS, k=rng.randint(3, 5)):
                recommendations.append(self._recommendation(rng, session, unit, text, as_of))
        self.create(Recommendation, recommendations)
        self.count.sessions += 1
        self.count.recommendations += len(recommendations)

    @staticmethod
    def _recommendation(rng, session, unit, text, as_of):
        deadline = session.ends_on + timedelta(days=rng.choice((30, 45, 60, 90, 120)))
        draw, Status = rng.random(), Recommendation.Status
        if deadline < as_of:  # the deadline has passed: most are closed, a few overdue
            status = _drawn(draw, ((0.5, Status.VERIFIED), (0.8, Status.DONE), (0.9, Status.IN_PROGRESS)), Status.OPEN)
        else:
            status = _drawn(draw, ((0.4, Status.OPEN), (0.8, Status.IN_PROGRESS)), Status.DONE)
        closed_on = None
        if status in Recommendation.CLOSED_STATUSES:
            latest = min(deadline + timedelta(days=20), as_of)
            span = max(0, (latest - session.starts_on).days)
            closed_on = session.starts_on + timedelta(days=rng.randint(span // 3, span))
        response = ""
        if status != Recommendation.Status.OPEN:
            response = "Đơn vị đã xây dựng kế hoạch khắc phục và đang triển khai (dữ liệu giả lập)."
        return Recommendation(
            session=session,
            unit_id=unit.pk,
            text=text,
            area=rng.choice(ReformArea.values),
            deadline=deadline,
            status=status,
            response=response,
            evidence="Công văn số 12/UBND (giả lập)" if closed_on else "",
            closed_on=closed_on,
        )


TASK_TITLES = (
    "Rà soát, đơn giản hóa thủ tục hành chính",
    "Kiểm tra CCHC nội bộ các phòng, ban",
    "Tuyên truyền CCHC trên cổng thông tin điện tử",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Khảo sát mức độ hài lòng của người dân",
    "Cập nhật danh mục thủ tục hành chính",
    "Triển khai dịch vụ công trực tuyến toàn trình",
    "Tổ chức hội nghị sơ kết CCHC",
)

RECOMMENDATIONS = (
    "Rà soát, hoàn thành các nhiệm vụ còn tồn đọng trong kế hoạch CCHC năm.",
    "Kịp thời cập nhật các văn bản quy phạm pháp luật mới.",
    "Chỉ đạo các ngành đề xuất mô hình, sáng kiến CCHC mới.",
    "Tăng cường phối hợp giữa các ngành và UBND cấp xã.",
    "Tăng cường công tác kiểm tra CCHC nội bộ.",
    "Đẩy mạnh tuyên truyền, nhất là về thủ tục hành chính.",
)


def _now():
    return timezone.now().replace(microsecond=0)


# --- The entry points -------------------------------------------------------------------------------------------


@transaction.atomic
def generate_country(
    *,
    scale=1,
    seed=SEED,
    province_reports=True,
    history=False,
    now=None,
    old_provinces=OLD_PROVINCES,
    old_districts=OLD_DISTRICTS,
    old_communes=OLD_COMMUNES,
    new_provinces=NEW_PROVINCES,
    new_communes=NEW_COMMUNES,
):
    """Fill an empty database with a simulated country (see the module's docstring); returns ``Generated``.

    ``province_reports``: each province also reports its own departments' dossiers (province level), as
    docs/domain.md describes; without them the country has issue 9's 37,755 reports at ``scale`` 1.
    ``history``: write simple_history rows too (slower; the benchmark needs none).
    The unit counts default to the real country's; the tests shrink them.
    """
    if not (old_provinces <= old_districts <= 999 and new_provinces <= min(old_provinces, 36)):
        raise ValueError("Every province needs a district; codes hold 999 districts and 36 new provinces.")
    if old_communes > 19_999 or new_communes > 79_998:
        raise ValueError("The commune codes hold 19,999 old and 79,998 new communes.")
    first, last = country_quarters(scale, old_districts=old_districts, new_communes=new_communes)
    now = now or _now()
    writer = Writer(
        seed=seed, first=COUNTRY_FIRST, last=COUNTRY_LAST, now=now, history=history, tasks_per_plan=COUNTRY_TASKS
    )
    shape = random.Random(f"{seed}:country")
    provinces_before = [
        SimUnit(f"{p + 1:02d}", f"Tỉnh {p + 1:02d}", UnitKind.PROVINCE, valid_until=LAST_OLD_DAY)
        for p in range(old_provinces)
    ]
    provinces_after = [
        SimUnit(f"{64 + p}", f"Tỉnh mới {64 + p}", UnitKind.PROVINCE, valid_from=REFORM_DAY)
        for p in range(new_provinces)
    ]
    for p, province in enumerate(provinces_before):
        # 63 into 34: each new province takes one or two old ones.
        province.successors = [provinces_after[p * new_provinces // old_provinces]]
    districts = []
    for d in range(old_districts):
        province = provinces_before[d % old_provinces]
        kind = UnitKind.PROVINCIAL_CITY if d < old_provinces else UnitKind.DISTRICT
        districts.append(
            SimUnit(
                f"{d + 1:03d}",
                f"Huyện {d + 1:03d}",
                kind,
                parent=province,
                valid_until=LAST_OLD_DAY,
                successors=province.successors,
                reports=((first, LAST_OLD_QUARTER), (ReportLevel.DISTRICT, ReportLevel.COMMUNE)),
                size=int(shape.lognormvariate(9.3, 0.5)),  # about 11,000 a quarter, from 3,000 to 40,000
            )
        )
    # A district of the first province (the third, when it has three) stops tracking online dossiers at
    # commune level in 2023.
    stopped = districts[min(2 * old_provinces, len(districts) - 1) // old_provinces * old_provinces]
    stopped.stopped_online_from = (2023, 1)
    communes_after = [
        SimUnit(
            f"{20001 + c}",
            f"Xã mới {20001 + c}",
            UnitKind.WARD if c % 5 == 0 else UnitKind.COMMUNE,
            parent=provinces_after[c % new_provinces],
            valid_from=REFORM_DAY,
            reports=((FIRST_NEW_QUARTER, last), (ReportLevel.COMMUNE,)),
            size=int(shape.lognormvariate(8.2, 0.5)),  # about 3,600 a quarter
        )
        for c in range(new_communes)
    ]
    communes_of = {}
    for commune in communes_after:
        communes_of.setdefault(commune.parent.code, []).append(commune)
    communes_before = []
    for c in range(old_communes):
        district = districts[c % old_districts]
        heirs = communes_of.get(district.parent.successors[0].code, [])
        communes_before.append(
            SimUnit(
                f"{c + 1:05d}",
                f"Xã {c + 1:05d}",
                UnitKind.COMMUNE,
                parent=district,
                valid_until=LAST_OLD_DAY,
                successors=[heirs[(c // old_districts) % len(heirs)]] if heirs else [],
            )
        )
    for province in provinces_before:
        province.reports = ((first, LAST_OLD_QUARTER), (ReportLevel.PROVINCE,)) if province_reports else ()
        province.size = int(shape.lognormvariate(9.0, 0.4))
    for province in provinces_after:
        province.reports = ((FIRST_NEW_QUARTER, last), (ReportLevel.PROVINCE,)) if province_reports else ()
        province.size = int(shape.lognormvariate(9.5, 0.4))
    writer.count.provinces = [p.code for p in provinces_before + provinces_after]
    writer.count.stopped_online = stopped.code
    writer.write(
        provinces_before + provinces_after + districts + communes_before + communes_after,
        inspectors=provinces_before + provinces_after,
        children=districts + communes_after,
        per_unit=4,
    )
    if (first, last) != (COUNTRY_FIRST, COUNTRY_LAST):
        extend_history(first, last, writer.count)
    return writer.count


# --- Ten times the quarters -------------------------------------------------------------------------------------


def _source_quarter(year, quarter):
    """The generated quarter (2018Q1–2026Q3) whose rows a quarter outside it repeats: the same quarter number, in
    a year of the same regime (districts until 2025Q2, communes since 2025Q3)."""
    if (year, quarter) <= LAST_OLD_QUARTER:
        return 2018 + (year - 2018) % 7, quarter  # 2018–2024, whole years of districts
    return (2025 if quarter == 4 else 2026), quarter  # 2025Q4, 2026Q1–Q3


def _shift_date(column, years):
    if connection.vendor == "postgresql":
        return f"({column} + make_interval(years => {int(years)}))"
    return f"date({column}, '{int(years):+d} years')"


def _shift_moment(column, years):
    if connection.vendor == "postgresql":
        return f"({column} + make_interval(years => {int(years)}))"
    return f"datetime({column}, '{int(years):+d} years')"


def _copy(model, *, replace, where, joins="", params=()):
    """``INSERT INTO model (every column but the key) SELECT …`` with some columns' expressions replaced."""
    quote = connection.ops.quote_name
    columns = [field.column for field in model._meta.concrete_fields if not field.primary_key]
    expressions = [replace.get(column, f"o.{quote(column)}") for column in columns]
    table = quote(model._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "
        f"SELECT {', '.join(expressions)} FROM {table} o {joins} WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def extend_history(first, last, count):
    """Fill the quarters from ``first`` to ``last`` outside the generated 2018Q1–2026Q3 with copies of generated
    ones, in the database itself (``INSERT … SELECT``): ten times the country in seconds, not in a quarter of an
    hour of Python. Each unit's reports, level rows and status events of a quarter repeat those of the same
    quarter number in a generated year of the same regime (``_source_quarter``), dates moved by the years in
    between; so do the plans and tasks of each year. Every identity holds, as in the rows copied; only the
    carried-over figures no longer follow the previous quarter's pending ones at the seams (a warning, never an
    error). Inspections are not copied.
    """
    quote = connection.ops.quote_name
    report_table = quote(QuarterlyReport._meta.db_table)
    plan_table = quote(ReformPlan._meta.db_table)
    years_done = set()
    for year, quarter in quarters_between(first, last):
        if COUNTRY_FIRST <= (year, quarter) <= COUNTRY_LAST:
            continue
        source_year, _quarter = _source_quarter(year, quarter)
        shift = year - source_year
        match = "o.year = %s AND o.quarter = %s"
        count.reports += _copy(
            QuarterlyReport,
            replace={"year": str(int(year)), "created_at": _shift_moment("o.created_at", shift)},
            where=match,
            params=(source_year, quarter),
        )
        new_report = (
            f"JOIN {report_table} r ON r.id = o.report_id "
            f"JOIN {report_table} n ON n.unit_id = r.unit_id AND n.quarter = r.quarter AND n.year = {int(year)}"
        )
        where = "r.year = %s AND r.quarter = %s"
        count.levels += _copy(
            LevelFigures, replace={"report_id": "n.id"}, joins=new_report, where=where, params=(source_year, quarter)
        )
        count.events += _copy(
            ReportEvent,
            replace={"report_id": "n.id", "at": _shift_moment("o.at", shift)},
            joins=new_report,
            where=where,
            params=(source_year, quarter),
        )
        if year in years_done or year in range(COUNTRY_FIRST[0], COUNTRY_LAST[0] + 1):
            continue
        years_done.add(year)
        count.plans += _copy(
            ReformPlan,
            replace={
                "year": str(int(year)),
                "title": f"REPLACE(o.title, '{int(source_year)}', '{int(year)}')",
                "issued_on": _shift_date("o.issued_on", shift),
            },
            where="o.year = %s",
            params=(source_year,),
        )
        count.tasks += _copy(
            ReformTask,
            replace={
                "plan_id": "n.id",
                "deadline": _shift_date("o.deadline", shift),
                "completed_on": _shift_date("o.completed_on", shift),
            },
            joins=(
                f"JOIN {plan_table} p ON p.id = o.plan_id "
                f"JOIN {plan_table} n ON n.unit_id = p.unit_id AND n.year = {int(year)}"
            ),
            where="p.year = %s",
            params=(source_year,),
        )
    count.first_quarter, count.last_quarter = tuple(first), tuple(last)


@transaction.atomic
def generate_province(
    *,
    code="98",
    name=SIMULATED_PROVINCE_NAME,
    seed=SEED,
    districts=10,
    communes_before=120,
    communes_after=40,
    first_year=2019,
    last_quarter=None,
    history=True,
    now=None,
):
    """One simulated province (see the module's docstring) in a database that may hold real units.

    The province lives through the reform; its ``districts`` and ``communes_before`` close on 30 June 2025 and
    its ``communes_after`` open on 1 July 2025, taking over from them. Reports run from ``first_year``'s first
    quarter to ``last_quarter`` (by default the latest quarter ended before ``now``): the province's own
    (province level), the districts' (district and commune level) until 2025Q2, the communes' since.
    ``history`` (on by default) writes each row's first history entry, as a save through the site would.
    """
    if not (len(code) == 2 and code.isdigit()):
        raise ValueError("A province code has two digits.")
    if districts > 10 or communes_before > 899 or communes_after > 99:
        raise ValueError("The codes derived from the province's hold 10 districts, 899 and 99 communes.")
    now = now or _now()
    last = tuple(last_quarter or last_ended_quarter(timezone.localdate(now)))
    first = (first_year, 1)
    writer = Writer(seed=seed, first=first, last=last, now=now, history=history, tasks_per_plan=PROVINCE_TASKS)
    shape = random.Random(f"{seed}:{code}:shape")
    province = SimUnit(
        code,
        name,
        UnitKind.PROVINCE,
        reports=((first, last), (ReportLevel.PROVINCE,)),
        size=int(shape.lognormvariate(9.0, 0.3)),
    )
    new_communes = [
        SimUnit(
            f"{int(code) * 1000 + c + 1:05d}",
            f"Xã Mô Phỏng {c + 1}",
            UnitKind.WARD if c % 4 == 0 else UnitKind.COMMUNE,
            parent=province,
            valid_from=REFORM_DAY,
            reports=((FIRST_NEW_QUARTER, last), (ReportLevel.COMMUNE,)),
            size=int(shape.lognormvariate(8.0, 0.4)),
        )
        for c in range(communes_after)
    ]
    old_districts = [
        SimUnit(
            f"{int(code) * 10 + d}",
            f"Huyện Mô Phỏng {d + 1}",
            UnitKind.PROVINCIAL_CITY if d == 0 else UnitKind.DISTRICT,
            parent=province,
            valid_until=LAST_OLD_DAY,
            successors=[province],
            reports=((first, LAST_OLD_QUARTER), (ReportLevel.DISTRICT, ReportLevel.COMMUNE)),
            size=int(shape.lognormvariate(9.2, 0.4)),
        )
        for d in range(districts)
    ]
    if len(old_districts) > 2:
        old_districts[2].stopped_online_from = (2023, 1)
    old_communes = [
        SimUnit(
            f"{int(code) * 1000 + 100 + c + 1:05d}",
            f"Xã cũ Mô Phỏng {c + 1}",
            UnitKind.COMMUNE,
            parent=old_districts[c % districts],
            valid_until=LAST_OLD_DAY,
            successors=[new_communes[c % communes_after]] if communes_after else [],
        )
        for c in range(communes_before if districts else 0)
    ]
    writer.count.provinces = [code]
    writer.count.stopped_online = old_districts[2].code if len(old_districts) > 2 else ""
    units = [province] + old_districts + old_communes + new_communes
    return writer.write(units, inspectors=[province], children=old_districts + new_communes, per_unit=3)
