"""The colours of the bands as a stylesheet, so that pages colour them without inline styles (CSP)."""

import re

from django.http import HttpResponse
from django.template.loader import render_to_string

from cchc.models import Band

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def band_css():
    # Only colours written as #RRGGBB reach the stylesheet, whatever was stored behind the admin's back.
    bands = [band for band in Band.objects.order_by("pk") if HEX.match(band.colour or "")]
    return render_to_string("cchc/targets/bands.css", {"bands": bands})


def bands_stylesheet(request):
    response = HttpResponse(band_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response
