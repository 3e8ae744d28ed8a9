from django.urls import path

from . import import_views

# Included by cchc.urls under the "imports" namespace, beside the import page and the import of reports.
urlpatterns = [
    path("units/", import_views.upload_units, name="units"),
]
