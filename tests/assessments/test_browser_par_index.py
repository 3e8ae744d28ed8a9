"""The PAR index in a real browser, on the demo data.

``thanhbinh`` fills the three criteria of a 2024 set (one with a file, one with a document number, one computed
from Thanh Bình's own figures) and submits; ``province`` appraises one criterion lower with a comment; the results
page shows the new total and rank. Lấp Vò has submitted 17 points, so the appraisal moves Thanh Bình from first
to second.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import CriteriaSet, GradeBand, Method, Source
from districts.models import Unit
from tests.browser import log_in, log_out
from tests.factories import MINIMAL_PDF, leaf, make_counted_report, make_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 1 (10) = 1.1 (4, halves) + 1.2 (6); 2 (10) = 2.1 (10, on-time rate: ≥ 98 % → 10, ≥ 95 % → 6); 3 (5) survey.
NODES = (
    ("1", "Công tác chỉ đạo, điều hành", "10", Method.SELF, False, ""),
    ("1.1", "Ban hành kế hoạch CCHC năm", "4", Method.SELF, True, ""),
    ("1.2", "Báo cáo CCHC định kỳ", "6", Method.SELF, False, ""),
    ("2", "Cải cách thủ tục hành chính", "10", Method.SELF, False, ""),
    ("2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "10", Method.COMPUTED, False, Source.ON_TIME),
    ("3", "Khảo sát sự hài lòng", "5", Method.SURVEY, False, ""),
    ("3.1", "Mức độ hài lòng", "5", Method.SURVEY, False, ""),
)


@pytest.fixture
def set_2024(live_demo):
    dong_thap = Unit.objects.get(code="87")
    criteria_set = make_set(dong_thap, year=2024, nodes=NODES, bands=((98, 10), (95, 6)), title="Bộ tiêu chí thử 2024")
    for label, points in (("Tốt", 16), ("Khá", 12), ("Yếu", 0)):
        GradeBand.objects.create(criteria_set=criteria_set, label=label, min_points=Decimal(points))
    # Thanh Bình 2024: 196 of 200 dossiers in time = 98 % → 10 points proposed.
    make_counted_report(Unit.objects.get(code="874"), 2024, 1, resolved=200, resolved_in_time=196, resolved_late=4)
    # Lấp Vò submitted 4 + 6 + 7 = 17 (no figures of its own for 2.1, so 7 with an explanation).
    lap_vo = Unit.objects.get(code="875")
    assessment = services.start_assessment(criteria_set, lap_vo)
    entries = {
        leaf(criteria_set, code).pk: {"self_points": Decimal(points), "explanation": "Theo báo cáo của huyện"}
        for code, points in (("1.1", 4), ("1.2", 6), ("2.1", 7))
    }
    services.save_self_assessment(assessment, by=None, entries=entries, version=assessment.version, submit=True)
    return criteria_set


def test_a_district_self_assesses_the_province_appraises_and_the_ranking_follows(page, live_server, set_2024):
    base = live_server.url
    criteria_set = CriteriaSet.objects.get(year=2024)
    first, second, computed = (leaf(criteria_set, code).pk for code in ("1.1", "1.2", "2.1"))

    # 1. The district officer opens the set from the menu and self-assesses.
    log_in(page, base, "thanhbinh")
    page.get_by_role("link", name="Chỉ số CCHC", exact=True).click()
    page.get_by_role("link", name="Bộ tiêu chí thử 2024").click()
    page.get_by_test_id("own-assessment").click()
    expect(page.get_by_test_id("proposal-2.1")).to_contain_text("196 / 200 = 98,00%")
    # The computed criterion comes filled with the proposal: 10 points.
    expect(page.get_by_test_id("points-2.1")).to_have_value("10")
    page.get_by_test_id("points-1.1").fill("3,5")
    page.locator(f"#id_c{first}-evidence_file").set_input_files(
        files=[{"name": "ke-hoach-cchc-2024.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    # The totals follow the typing: area 1 is 3,5 of 10; overall 3,5 + 10 (the proposal) = 13,5 of 20.
    expect(page.get_by_test_id("node-self-1")).to_have_text("3,5 / 10")
    expect(page.get_by_test_id("self-total")).to_have_text("13,5 / 20")
    page.get_by_test_id("points-1.2").fill("5")
    expect(page.get_by_test_id("node-self-1")).to_have_text("8,5 / 10")
    page.locator(f"#id_c{second}-evidence_number").fill("15/BC-UBND")
    page.locator(f"#id_c{second}-evidence_date").fill("2024-07-10")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("đã gửi")
    # 3,5 + 5 + 10 = 18,5 of 20
    expect(page.get_by_test_id("self-total")).to_have_text("18,5 / 20")
    expect(page.get_by_role("link", name="ke-hoach-cchc-2024.pdf")).to_be_visible()
    expect(page.get_by_test_id("self-1.2")).to_have_text("5")
    assert computed  # the computed criterion was submitted as proposed
    log_out(page)

    # 2. The province appraises 1.2 lower, with a comment.
    log_in(page, base, "province")
    page.goto(f"{base}/par-index/")
    page.get_by_role("link", name=re.compile(r"Huyện Thanh Bình – Bộ tiêu chí thử 2024")).click()
    page.get_by_test_id("appraised-1.2").fill("3")
    page.locator(f"#id_c{second}-appraisal_comment").fill("Báo cáo nộp chậm so với quy định")
    page.get_by_test_id("save-appraisal").click()
    # 3,5 + 3 + 10 = 16,5
    expect(page.get_by_test_id("appraised-total")).to_have_text("16,5 / 20")
    expect(page.get_by_test_id("history")).to_contain_text("thẩm định tiêu chí 1.2 (5 → 3)")

    # 3. The results: Lấp Vò's 17 is now ahead of Thanh Bình's 16,5.
    page.goto(f"{base}/par-index/sets/{criteria_set.pk}/results/")
    expect(page.get_by_test_id("total-874")).to_have_text("16,5")
    expect(page.get_by_test_id("rank-874")).to_have_text("2")
    expect(page.get_by_test_id("grade-874")).to_have_text("Tốt")
    expect(page.get_by_test_id("total-875")).to_have_text("17")
    expect(page.get_by_test_id("rank-875")).to_have_text("1")
