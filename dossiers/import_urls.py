from django.urls import path

from . import import_views as views

app_name = "imports"
urlpatterns = [
    path("", views.import_home, name="index"),
    path("template/", views.download_template, name="template"),
    path("reports/", views.upload_reports, name="reports"),
    path("units/", views.upload_units, name="units"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
