"""The inspection brief of a unit and period: a printable A4 page, and the same page as a PDF (WeasyPrint)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from cchc.band_views import band_css
from cchc.brief import brief
from cchc.comparisons import resolve_unit
from cchc.lib.periods import Period
from districts.access import may_see_unit_details, may_see_unit_figures
from dossiers.access import statuses_counted_for

FONT_FILES = {"regular": "vendor/dejavu/DejaVuSans.ttf", "bold": "vendor/dejavu/DejaVuSans-Bold.ttf"}


def _context(request, code, period_code):
    try:
        period = Period.parse(period_code)
    except ValueError:
        raise Http404 from None
    # A code names a unit together with a date: the unit that held it at the end of the period.
    unit = resolve_unit(code, period.end)
    if unit is None or not may_see_unit_figures(request.user, unit) or not may_see_unit_details(request.user, unit):
        raise Http404
    return brief(unit, period, statuses=statuses_counted_for(request.user))


def brief_page(request, code, period):
    return render(request, "cchc/brief.html", _context(request, code, period))


def _font_urls():
    """The vendored fonts as file URLs, so that WeasyPrint embeds them whatever fonts the server has."""
    urls = {}
    for name, path in FONT_FILES.items():
        found = finders.find(path)
        if found:
            urls[name] = Path(found).resolve().as_uri()
    return urls


def brief_pdf(request, code, period):
    from weasyprint import HTML

    context = _context(request, code, period)
    context["pdf"] = True
    context["font_urls"] = _font_urls()
    context["brief_css"] = Path(finders.find("cchc/brief.css")).read_text(encoding="utf-8")
    context["band_css"] = band_css()
    html = render_to_string("cchc/brief.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"bao-cao-kiem-tra-{context['unit'].code}-{context['period'].code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
