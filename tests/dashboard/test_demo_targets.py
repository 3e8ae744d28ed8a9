"""The demo's targets (seeds 003 and 004): each names its article, and a target never invents a value."""

from decimal import Decimal

from cchc.models import Target


def test_lap_vo_2023_and_bac_yen_2018_targets_name_their_articles(demo):
    stored = {(t.unit.code, t.year, t.indicator): t for t in Target.objects.select_related("unit")}
    assert {key: target.value for key, target in stored.items()} == {
        ("875", 2023, "on_time_rate"): Decimal("98"),
        ("875", 2023, "online_rate"): Decimal("50"),
        ("121", 2018, "postal_rate"): Decimal("20"),
    }
    assert all("Bài viết" in target.comment for target in stored.values())
    for target in stored.values():
        target.full_clean()


def test_lap_vos_page_shows_its_targets_beside_a_dash(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="province"))
    page = client.get("/districts/875/?year=2023").content.decode()
    section = page[page.index('data-testid="unit-targets"') :]
    section = section[: section.index("</section>")]
    assert "≥ 98,00%" in section and "≥ 50,00%" in section
    # Lấp Vò has no counts: each target stands beside "—" and has no band.
    assert section.count("—") == 2
    assert "data-band" not in section
    assert "chưa có số liệu để so sánh" in section


def test_every_rate_of_the_unit_page_with_a_target_carries_its_band(demo, client, django_user_model):
    from cchc.models import Target

    client.force_login(django_user_model.objects.get(username="province"))
    # Bắc Yên H1 2018 (entered in Q2): 14.506 of 14.506 resolved on time = 100 %; against a 2018 target of 99 %
    # on time, "đạt" in Q2 and for the year; Q1, Q3, Q4 have no report and no band.
    Target.objects.create(indicator="on_time_rate", year=2018, unit_id=19, value=Decimal("99"))
    page = client.get("/districts/121/?year=2018").content.decode()
    table = page[page.index('data-testid="quarter-table"') :]
    table = table[: table.index("</table>")]
    assert table.count('data-band="Đạt"') == 2
