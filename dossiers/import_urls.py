from django.urls import path

from . import import_views as views

# Included by cchc.urls under the "imports" namespace, together with the import of units (districts.import_urls).
urlpatterns = [
    path("", views.import_home, name="index"),
    path("template/", views.download_template, name="template"),
    path("reports/", views.upload_reports, name="reports"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
