from django.urls import path

from cchc import target_views

app_name = "targets"
urlpatterns = [
    path("", target_views.target_list, name="list"),
    path("new/", target_views.target_edit, name="new"),
    path("import/", target_views.target_import, name="import"),
    path("<int:pk>/", target_views.target_edit, name="edit"),
    path("<int:pk>/delete/", target_views.target_delete, name="delete"),
]
