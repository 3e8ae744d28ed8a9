from django.urls import path

from . import views

# Included by cchc.urls under the "districts" namespace, together with the unit page (a dashboard page, in
# cchc.unit_views) whose URLs share the namespace and the prefix.
urlpatterns = [
    path("<str:code>/plan/<int:year>/", views.plan_edit, name="plan"),
]
