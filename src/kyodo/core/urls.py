from django.urls import path

from kyodo.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("feedback/", views.feedback_submit, name="feedback_submit"),
    path("organisations/<int:pk>/feedback/", views.feedback_dashboard, name="feedback_dashboard"),
]
