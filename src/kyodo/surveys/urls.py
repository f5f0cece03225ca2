from django.urls import path

from kyodo.surveys import views

app_name = "surveys"
urlpatterns = [
    path("surveys/", views.survey_list, name="list"),
    path("surveys/<int:pk>/", views.survey_results, name="results"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="edit"),
    path("surveys/<int:pk>/preview/", views.survey_preview, name="preview"),
    path("surveys/<int:pk>/status/", views.survey_status, name="status"),
    path("surveys/<int:pk>/answers.csv", views.survey_export_csv, name="export_csv"),
    path("surveys/<int:pk>/answers.xlsx", views.survey_export_xlsx, name="export_xlsx"),
    path("surveys/<int:pk>/answer/", views.answer_signed_in, name="answer_signed_in"),
    path("surveys/<int:pk>/answer/<str:token>/", views.answer, name="answer"),
]
