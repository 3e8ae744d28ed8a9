from django.urls import path

from . import views

app_name = "districts"
urlpatterns = [
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/chart/", views.UnitTrendChart.as_view(), name="chart"),
    path("<str:code>/plan/<int:year>/", views.plan_edit, name="plan"),
]
