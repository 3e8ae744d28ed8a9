from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from assessments import views as assessment_views
from cchc import (
    band_views,
    brief_views,
    charts,
    compare_views,
    flag_views,
    preview_views,
    session_views,
    unit_views,
    views,
)
from cchc.lib.page_memo import remembered_until_written
from districts import import_urls as unit_import_urls
from districts import urls as district_urls
from districts.admin_filters import UnitAutocompleteJsonView
from dossiers import import_urls as report_import_urls
from inspections import urls as inspection_urls

# The unit page reads across the apps, so it lives in the dashboard; its URLs keep their names (districts:…).
unit_page = [
    path("<str:code>/", unit_views.unit_detail, name="detail"),
    path("<str:code>/chart/", unit_views.UnitTrendChart.as_view(), name="chart"),
]
# So are the inspection sessions' list and page (they check sessions against the reports): inspections:….
session_pages = [
    path("sessions/", session_views.SessionListView.as_view(), name="session_list"),
    path("sessions/<int:pk>/", session_views.session_detail, name="session_detail"),
]

urlpatterns = [
    path("", remembered_until_written(views.DashboardView.as_view()), name="home"),
    path(
        "charts/on-time-by-unit/",
        remembered_until_written(charts.OnTimeByUnitChart.as_view()),
        name="chart-on-time-by-unit",
    ),
    path("charts/trend/", remembered_until_written(charts.TrendChart.as_view()), name="chart-trend"),
    path("charts/channels/", remembered_until_written(charts.ChannelsChart.as_view()), name="chart-channels"),
    path("api/indicators/", remembered_until_written(views.indicators_feed), name="api-indicators"),
    path("targets/", include("cchc.target_urls")),
    path("compare/", compare_views.compare, name="compare"),
    path("flags/dismiss/", flag_views.dismiss, name="flag-dismiss"),
    path("bands.css", band_views.bands_stylesheet, name="bands-css"),
    path("brief/<str:code>/<str:period>/", brief_views.brief_page, name="brief"),
    path("brief/<str:code>/<str:period>/pdf/", brief_views.brief_pdf, name="brief-pdf"),
    path("inbox/", include("inbox.urls")),
    path("districts/", include((unit_page + district_urls.urlpatterns, "districts"))),
    path("inspections/", include((session_pages + inspection_urls.urlpatterns, "inspections"))),
    path(
        "dossiers/<str:unit_code>/<str:quarter_code>/preview/",
        preview_views.report_preview,
        name="report-preview",
    ),
    path("dossiers/", include("dossiers.urls")),
    path("imports/", include((report_import_urls.urlpatterns + unit_import_urls.urlpatterns, "imports"))),
    path("par-index/", include("assessments.urls")),
    path("api/par-index/", assessment_views.feed, name="api-par-index"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Public, so that the login page can offer the language switcher too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Before the admin's own URLs: its autocomplete, naming units with their intervals (codes are reused).
    path(
        "admin/autocomplete/",
        admin.site.admin_view(UnitAutocompleteJsonView.as_view(admin_site=admin.site)),
        name="unit-autocomplete",
    ),
    path("admin/", admin.site.urls),
]
