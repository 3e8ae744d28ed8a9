"""Small factories for the tests: one plain function per model, saving a valid row with sensible defaults.

They save with ``objects.create`` and never call ``full_clean``, so a test can still build a row the model's
validation would refuse (the database constraints remain, and some tests rely on them).
"""

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation

from assessments.models import CriteriaSet, Criterion, Method, ScoreBand, ScoredUnits, Source
from assessments.tree import link_parents
from districts.models import ReformPlan, ReformTask, Unit, UnitKind
from dossiers.figures import DOSSIER_FIGURES
from dossiers.models import LevelFigures, QuarterlyReport, ReportStatus
from inspections.models import InspectedUnit, InspectionSession, Recommendation

_sequence = itertools.count(1)
_DOSSIER_CODES = {figure.code for figure in DOSSIER_FIGURES}


def make_province(code="87", name="Đồng Tháp", **fields):
    fields.setdefault("kind", UnitKind.PROVINCE)
    return Unit.objects.create(code=code, name=name, **fields)


def make_district(province, code="874", name="Thanh Bình", **fields):
    fields.setdefault("kind", UnitKind.DISTRICT)
    return Unit.objects.create(code=code, name=name, parent=province, **fields)


def make_commune(parent, code="29620", name="Tân Thạnh", **fields):
    fields.setdefault("kind", UnitKind.COMMUNE)
    return Unit.objects.create(code=code, name=name, parent=parent, **fields)


def make_report(unit, year=2023, quarter=1, *, status=None, levels=None, **report_figures):
    """A quarterly report; ``levels`` maps a level ("district", "commune", "all" …) to its dossier figures."""
    if status is not None:
        report_figures["status"] = status
    report = QuarterlyReport.objects.create(unit=unit, year=year, quarter=quarter, **report_figures)
    for level, figures in (levels or {}).items():
        LevelFigures.objects.create(report=report, level=level, **figures)
    return report


def make_counted_report(unit, year=2023, quarter=1, *, status=ReportStatus.APPROVED, level="all", **figures):
    """A report the dashboard counts (approved unless told otherwise), from figure codes in one flat list.

    Dossier figures (``carried_over``, ``resolved`` …) go to one row of ``level``; procedure and activity figures
    (``procedures_reviewed``, ``units_inspected`` …) to the report itself. No dossier figure, no level row.
    """
    dossier = {code: value for code, value in figures.items() if code in _DOSSIER_CODES}
    report_figures = {code: value for code, value in figures.items() if code not in _DOSSIER_CODES}
    return make_report(
        unit, year, quarter, status=status, levels={level: dossier} if dossier else None, **report_figures
    )


def make_plan(unit, year=2021, title=None, **fields):
    return ReformPlan.objects.create(unit=unit, year=year, title=title or f"Kế hoạch CCHC năm {year}", **fields)


def make_tasks(plan, count, *, status=ReformTask.Status.NOT_STARTED, completed_on=None, **fields):
    """``count`` placeholder tasks ("Nhiệm vụ 1/35" …), as the demo data stands in for plans given only as counts."""
    tasks = [
        ReformTask(plan=plan, title=f"Nhiệm vụ {next(_sequence)}", status=status, completed_on=completed_on, **fields)
        for _ in range(count)
    ]
    return ReformTask.objects.bulk_create(tasks)


def make_province_with_districts(code, districts, *, first_code, year=2023):
    """A province of ``districts`` districts (codes from ``first_code``), each with everything a dashboard row
    reads: an approved report in Q1 and Q2 of ``year``, a plan of two tasks and an open recommendation."""
    province = make_province(code, f"Tỉnh {code}")
    for number in range(districts):
        district = make_district(province, str(first_code + number), f"Huyện {first_code + number}")
        # Q1: 1 + 10 − 9 = 2 pending; Q2: 2 + 10 − 10 = 2 pending
        make_counted_report(
            district, year, 1, carried_over=1, received=10, resolved=9, resolved_in_time=9, resolved_late=0, pending=2
        )
        make_counted_report(
            district, year, 2, carried_over=2, received=10, resolved=10, resolved_in_time=8, resolved_late=2, pending=2
        )
        make_tasks(make_plan(district, year), 2)
        make_recommendation(district)
    return province


def make_user(role=None, unit=None, username=None, **fields):
    """A user of ``unit``, in the group of ``role`` (a ``cchc.lib.roles.Role``) when one is given."""
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_sequence)}", password="secret-pass-123", unit=unit, **fields
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role.group_name))
    return user


def make_session(inspecting_unit, starts_on=date(2021, 10, 26), ends_on=date(2021, 10, 28), **fields):
    fields.setdefault("title", "Kiểm tra CCHC năm 2021")
    fields.setdefault("format", InspectionSession.Format.ONLINE)
    return InspectionSession.objects.create(
        inspecting_unit=inspecting_unit, starts_on=starts_on, ends_on=ends_on, **fields
    )


def make_inspected_unit(session, unit, inspected_on=None, **fields):
    return InspectedUnit.objects.create(session=session, unit=unit, inspected_on=inspected_on, **fields)


def make_recommendation(unit, session=None, **fields):
    fields.setdefault("text", "Rà soát, hoàn thành 06 nhiệm vụ còn tồn đọng trong kế hoạch CCHC năm.")
    return Recommendation.objects.create(unit=unit, session=session, **fields)


def logged_in(client, user):
    client.force_login(user)
    return client


# --- Files ------------------------------------------------------------------------------------------------------------

# The smallest PDF a reader opens: a header, one empty page, a cross-reference table and a trailer.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)
# What a Windows program starts with ("MZ"), and a web page: neither may pass for a PDF by its name.
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
WEB_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def pdf_upload(name="bien-ban-khac-phuc.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- PAR-index criteria sets ------------------------------------------------------------------------------------------

# A small set: two areas of 10 points each scored by the unit, and a survey area of 5 points (25 in all).
#   1   Direction (10) = 1.1 (4, halves allowed) + 1.2 (6)
#   2   Procedures (10) = 2.1 (6) + 2.2 (4, computed from the on-time rate: ≥ 98 % → 4, ≥ 95 % → 2)
#   3   Survey (5) = 3.1 (5, survey)
SMALL_SET = (
    ("1", "Công tác chỉ đạo, điều hành", "10", Method.SELF, False, ""),
    ("1.1", "Ban hành kế hoạch CCHC năm", "4", Method.SELF, True, ""),
    ("1.2", "Thực hiện kế hoạch CCHC", "6", Method.SELF, False, ""),
    ("2", "Cải cách thủ tục hành chính", "10", Method.SELF, False, ""),
    ("2.1", "Rà soát, đơn giản hóa TTHC", "6", Method.SELF, False, ""),
    ("2.2", "Tỷ lệ hồ sơ giải quyết đúng hạn", "4", Method.COMPUTED, False, Source.ON_TIME),
    ("3", "Khảo sát sự hài lòng", "5", Method.SURVEY, False, ""),
    ("3.1", "Mức độ hài lòng của người dân", "5", Method.SURVEY, False, ""),
)


def make_set(province, year=2023, nodes=SMALL_SET, bands=((98, 4), (95, 2)), **fields):
    fields.setdefault("title", f"Bộ tiêu chí thử {year}")
    fields.setdefault("scored_units", ScoredUnits.DISTRICT)
    criteria_set = CriteriaSet.objects.create(province=province, year=year, **fields)
    for code, text, points, method, halves, source in nodes:
        criterion = Criterion.objects.create(
            criteria_set=criteria_set,
            code=code,
            text=text,
            max_points=Decimal(points),
            method=method,
            halves_allowed=halves,
            source=source,
        )
        if source:
            for rate, band_points in bands:
                ScoreBand.objects.create(criterion=criterion, min_rate=Decimal(rate), points=Decimal(band_points))
    link_parents(criteria_set)
    return criteria_set


def leaf(criteria_set, code):
    return criteria_set.criteria.get(code=code)


def errors_of(instance, language="vi"):
    """The errors ``full_clean`` finds in ``instance``, by field, in ``language``: ``{}`` when it accepts it."""
    with translation.override(language):
        try:
            instance.full_clean()
        except ValidationError as error:
            return error.message_dict
    return {}


def clean_errors(instance, language="vi"):
    """The errors ``full_clean`` raises for ``instance``, by field, in ``language`` (fails if it raises none)."""
    with translation.override(language):
        try:
            instance.full_clean()
        except ValidationError as error:
            # message_dict renders lazy messages, so it must be read while the language is active.
            return error.message_dict
    raise AssertionError(f"{instance!r} passed full_clean")


def save_refused_by_database(instance):
    """Whether the database itself refuses to save ``instance`` (a check or unique constraint)."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        return True
    return False
