from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("sets/import/", views.import_set, name="import"),
    path("sets/<int:pk>/", views.set_detail, name="set_detail"),
    path("sets/<int:pk>/results/", views.results_page, name="results"),
    path("sets/<int:pk>/units/<str:code>/", views.assessment_page, name="assessment"),
    path("sets/<int:pk>/units/<str:code>/totals/", views.assessment_totals, name="totals"),
    path("sets/<int:pk>/units/<str:code>/send/", views.send_appraisal, name="send"),
    path("sets/<int:pk>/units/<str:code>/final/", views.finalise, name="finalise"),
    path("sets/<int:pk>/units/<str:code>/return/", views.return_to_draft, name="return"),
    path("sets/<int:pk>/units/<str:code>/survey/", views.survey, name="survey"),
    path("sets/<int:pk>/units/<str:code>/answer/<int:criterion_pk>/", views.answer, name="answer"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("decision-766/", views.group_scores, name="group_scores"),
]
