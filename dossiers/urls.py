from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.my_reports, name="mine"),
    path("review/", views.ReviewView.as_view(), name="review"),
    path("completeness/", views.completeness_page, name="completeness"),
    path("<str:unit_code>/<str:quarter_code>/", views.report_page, name="report"),
]
