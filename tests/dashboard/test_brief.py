"""The inspection brief: Thanh Bình 2021 from the demo data, on the page and in the PDF read back."""

import io

import pytest
from pypdf import PdfReader


@pytest.fixture
def staff(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="province"))
    return client


def recommendation_texts():
    from inspections.models import Recommendation

    return list(
        Recommendation.objects.filter(unit__code="874", session__starts_on__year=2021).values_list("text", flat=True)
    )


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), len(reader.pages)


def test_the_brief_page_of_thanh_binh_2021(staff):
    page = staff.get("/brief/874/2021/").content.decode()
    assert "Huyện Thanh Bình (874)" in page and "Năm 2021" in page
    # Plan: 18 of 35 tasks done by 31/12/2021 (all by 30 July): 18 / 35 = 51,43 %.
    assert "51,43%" in page
    texts = recommendation_texts()
    assert len(texts) == 6
    for text in texts:
        assert text in page
    assert "/brief/874/2021/pdf/" in page


def test_the_brief_pdf_is_one_a4_page_with_the_unit_period_plan_and_recommendations(staff):
    response = staff.get("/brief/874/2021/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-kiem-tra-874-2021.pdf"' in response["Content-Disposition"]
    text, pages = pdf_text(response.content)
    assert pages == 1
    assert "Huyện Thanh Bình" in text and "Năm 2021" in text and "51,43%" in text
    for recommendation in recommendation_texts():
        assert " ".join(recommendation.split()) in text
    # The fonts are embedded, Vietnamese diacritics and all.
    reader = PdfReader(io.BytesIO(response.content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert all(
        "/FontFile2" in font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in fonts.values()
    )


def test_a_district_officer_gets_the_brief_of_their_unit_only(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="thanhbinh"))
    assert client.get("/brief/874/2021/").status_code == 200
    assert client.get("/brief/875/2021/").status_code == 404


def test_a_bad_period_or_code_is_not_found(staff):
    assert staff.get("/brief/874/2021Q9/").status_code == 404
    assert staff.get("/brief/999/2021/").status_code == 404
