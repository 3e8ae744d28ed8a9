from django.urls import path

from . import views

# Included by cchc.urls under the "inspections" namespace, together with the sessions' list and page (dashboard
# pages, in cchc.session_views: they read the reports too) whose URLs share the namespace and the prefix.
urlpatterns = [
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_pk>/recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation_list"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path("recommendations/<int:pk>/answer/", views.recommendation_answer, name="recommendation_answer"),
    path("recommendations/<int:pk>/verify/", views.recommendation_verify, name="recommendation_verify"),
    path("recommendations/<int:pk>/reopen/", views.recommendation_reopen, name="recommendation_reopen"),
    path("recommendations/<int:pk>/evidence/", views.recommendation_evidence, name="recommendation_evidence"),
]
