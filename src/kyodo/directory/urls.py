from django.urls import path

from kyodo.directory import views

app_name = "directory"

urlpatterns = [
    path("networks/<slug:slug>/", views.network_detail, name="network"),
    path("networks/<slug:slug>/members/", views.network_members, name="network_members"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
]
