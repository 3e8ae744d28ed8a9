from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from assessments import views as assessment_views
from cchc import band_views, brief_views, charts, compare_views, flag_views, preview_views, views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("charts/on-time-by-unit/", charts.OnTimeByUnitChart.as_view(), name="chart-on-time-by-unit"),
    path("charts/trend/", charts.TrendChart.as_view(), name="chart-trend"),
    path("charts/channels/", charts.ChannelsChart.as_view(), name="chart-channels"),
    path("api/indicators/", views.indicators_feed, name="api-indicators"),
    path("targets/", include("cchc.target_urls")),
    path("compare/", compare_views.compare, name="compare"),
    path("flags/dismiss/", flag_views.dismiss, name="flag-dismiss"),
    path("bands.css", band_views.bands_stylesheet, name="bands-css"),
    path("brief/<str:code>/<str:period>/", brief_views.brief_page, name="brief"),
    path("brief/<str:code>/<str:period>/pdf/", brief_views.brief_pdf, name="brief-pdf"),
    path("inbox/", include("inbox.urls")),
    path("districts/", include("districts.urls")),
    path("inspections/", include("inspections.urls")),
    path(
        "dossiers/<str:unit_code>/<str:quarter_code>/preview/",
        preview_views.report_preview,
        name="report-preview",
    ),
    path("dossiers/", include("dossiers.urls")),
    path("imports/", include("dossiers.import_urls")),
    path("par-index/", include("assessments.urls")),
    path("api/par-index/", assessment_views.feed, name="api-par-index"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Public, so that the login page can offer the language switcher too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
