from django.urls import path, re_path

from kyodo.calendar import views

app_name = "calendar"

urlpatterns = [
    path("calendar/", views.month, name="month"),
    path("calendar/week/", views.week, name="week"),
    path("calendar/list/", views.agenda, name="list"),
    path("calendar/feed.ics", views.feed, name="feed"),
    path("calendar/entries/<int:pk>/", views.entry_detail, name="entry"),
    path("calendar/entries/<int:pk>/entry.ics", views.entry_ics, name="entry_ics"),
    path("calendar/entries/<int:pk>/edit/", views.entry_edit, name="edit"),
    path("calendar/entries/<int:pk>/status/", views.entry_status, name="status"),
    path("calendar/entries/<int:pk>/delete/", views.entry_delete, name="delete"),
    path("calendar/manage/", views.manage, name="manage"),
    path("calendar/manage/new/", views.entry_create, name="create"),
    path("calendar/import/", views.entries_import, name="import"),
    path("opendata/", views.opendata, name="opendata"),
    re_path(r"^opendata/(?P<lgcode>[0-9]{6})_event\.csv$", views.event_csv, name="event_csv"),
]
