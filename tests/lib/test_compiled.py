"""A read compiled once per process gives what its queryset gives, read anew on every call (cchc/lib/compiled.py)."""

import datetime

import pytest
from django.db.models import Value, signals

from cchc.lib.compiled import CompiledQuery, compiled, from_db_rows
from districts.models import Unit
from tests.factories import make_district, make_province

pytestmark = pytest.mark.django_db


@compiled
def districts_of(province_pk):
    return Unit.objects.filter(parent=province_pk).select_related("parent").annotate(mark=Value(7)).order_by("code")


def test_the_rows_are_read_anew_on_every_call_and_the_sql_built_once(django_assert_num_queries):
    province = make_province()
    make_district(province, code="874", name="Thanh Bình", valid_from=datetime.date(2004, 1, 1))
    first = districts_of(province.pk)
    with django_assert_num_queries(1):
        rows = first.read()
    assert [(unit.code, unit.parent.code, unit.mark, unit.valid_from) for unit in rows] == [
        ("874", "87", 7, datetime.date(2004, 1, 1))
    ]
    assert rows[0] == Unit.objects.get(code="874") and not rows[0]._state.adding
    make_district(province, code="875", name="Tam Nông")
    assert districts_of(province.pk) is first
    with django_assert_num_queries(1):
        assert [unit.code for unit in first.read()] == ["874", "875"]


def test_values_lists_flat_or_not_and_a_read_that_can_match_nothing():
    province = make_province()
    make_district(province, code="874", valid_until=datetime.date(2025, 6, 30))
    units = Unit.objects.filter(parent=province).order_by("code")
    assert CompiledQuery(units.values_list("code", "valid_until")).read() == [("874", datetime.date(2025, 6, 30))]
    assert CompiledQuery(units.values_list("code", flat=True)).read() == ["874"]
    assert CompiledQuery(units.none()).read() == []


def test_what_it_cannot_give_as_the_queryset_would_is_refused():
    with pytest.raises(TypeError):
        CompiledQuery(Unit.objects.values("code"))
    with pytest.raises(TypeError):
        CompiledQuery(Unit.objects.prefetch_related("children"))


def test_instances_made_from_rows_are_those_django_makes():
    province = make_province()
    district = make_district(province, code="874", valid_from=datetime.date(2004, 1, 1))
    attnames = [field.attname for field in Unit._meta.concrete_fields]
    values = list(Unit.objects.filter(pk=district.pk).values_list(*attnames).get())

    (made,) = from_db_rows(Unit, "default", attnames, [values])
    django_made = Unit.from_db("default", attnames, values)

    assert made.__dict__.keys() - {"_state"} == django_made.__dict__.keys() - {"_state"}
    assert all(getattr(made, name) == getattr(django_made, name) for name in attnames)
    assert (made._state.adding, made._state.db) == (False, "default")
    assert made == district and made.parent == province and made.province == province


def test_a_model_with_an_init_receiver_is_made_by_django():
    made = []

    def receiver(sender, instance, **kwargs):
        made.append(instance)

    attnames = [field.attname for field in Unit._meta.concrete_fields]
    values = [1, "87", "Đồng Tháp", "province", "province", None, None, None]
    signals.post_init.connect(receiver, sender=Unit)
    try:
        (unit,) = from_db_rows(Unit, "default", attnames, [values])
    finally:
        signals.post_init.disconnect(receiver, sender=Unit)
    assert made == [unit]
    # Some fields only: Django's own from_db, the others deferred.
    (partial,) = from_db_rows(Unit, "default", ["id", "code"], [[1, "87"]])
    assert partial.get_deferred_fields() == set(attnames) - {"id", "code"}
