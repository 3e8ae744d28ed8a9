"""The dashboard's lists (periods, provinces) are written in Python by QuickSelect: what Django's own select
templates write, whatever the labels hold, save the blank line Django's option template leaves after each option."""

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cchc.lib.forms import QuickInput, QuickSelect

CHOICES = [
    ("", "Cả nước"),
    ("a&b", 'Tỉnh "A" <Đồng Tháp> & Co'),
    ("lazy", gettext_lazy("Whole country")),
    ("safe", mark_safe("<b>kept</b>")),
    ("2023", [("2023Q1", "Quý I/2023"), ("2023H1", "6 tháng đầu năm 2023")]),
    ("<year>", [("x'y", "it's")]),
]


def test_a_quick_select_writes_what_django_select_writes():
    attrs = {"class": "form-select form-select-sm", "id": "id_period", "required": True, "disabled": False}
    for value in ("2023H1", "a&b", "x'y", ""):
        django_html = forms.Select(choices=CHOICES).render("period", value, attrs=attrs).replace("\n\n", "\n")
        quick_html = QuickSelect(choices=CHOICES).render("period", value, attrs=attrs)

        assert quick_html == django_html
    assert '<option value="a&amp;b">Tỉnh &quot;A&quot; &lt;Đồng Tháp&gt; &amp; Co</option>' in quick_html
    assert "<b>kept</b>" in quick_html


def test_a_quick_input_writes_what_django_text_input_writes():
    attrs = {"class": "form-control form-control-sm", "id": "id_below", "required": True, "disabled": False}
    for value in (None, "", "98,5", 'a "b" <c> & d', mark_safe("<b>kept</b>"), 12):
        django_html = forms.TextInput(attrs={"placeholder": "%"}).render("below", value, attrs=attrs)
        quick_html = QuickInput(attrs={"placeholder": "%"}).render("below", value, attrs=attrs)

        assert quick_html == django_html
        if value == 'a "b" <c> & d':
            assert 'value="a &quot;b&quot; &lt;c&gt; &amp; d"' in quick_html
