from django.urls import path

from kyodo.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("feedback/", views.feedback_submit, name="feedback_submit"),
    path("organisations/<int:pk>/feedback/", views.feedback_dashboard, name="feedback_dashboard"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/download", views.job_download, name="job_download"),
    path("jobs/<uuid:pk>/retry", views.job_retry, name="job_retry"),
]
