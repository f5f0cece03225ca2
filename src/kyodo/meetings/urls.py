from django.urls import path

from kyodo.meetings import views

app_name = "meetings"

urlpatterns = [
    path("networks/<slug:slug>/meetings/", views.year_plan_current, name="year_plan_current"),
    path("networks/<slug:slug>/meetings/<int:year>/", views.year_plan, name="year_plan"),
    path("networks/<slug:slug>/meetings/new/", views.meeting_create, name="create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("meetings/<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("meetings/<int:pk>/attachments/", views.meeting_attachments, name="attachments"),
    path(
        "meetings/<int:pk>/attachments/<int:attachment>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "meetings/<int:pk>/attachments/<int:attachment>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("meetings/<int:pk>/questions/", views.meeting_questions, name="questions"),
    path(
        "meetings/<int:pk>/questions/moderate/",
        views.questions_moderate,
        name="questions_moderate",
    ),
    path(
        "meetings/<int:pk>/questions/<int:question>/vote/",
        views.question_vote,
        name="question_vote",
    ),
    path(
        "meetings/<int:pk>/questions/<int:question>/edit/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "meetings/<int:pk>/questions/<int:question>/merge/",
        views.question_merge,
        name="question_merge",
    ),
    path("meetings/<int:pk>/breakouts/", views.breakouts, name="breakouts"),
    path("meetings/<int:pk>/breakouts/<int:session>/", views.breakout, name="breakout"),
    path(
        "meetings/<int:pk>/breakouts/<int:session>/assign/",
        views.breakout_assign,
        name="breakout_assign",
    ),
    path(
        "meetings/<int:pk>/breakouts/<int:session>/move/",
        views.breakout_move,
        name="breakout_move",
    ),
    path(
        "meetings/<int:pk>/breakouts/<int:session>/swap/",
        views.breakout_swap,
        name="breakout_swap",
    ),
    path(
        "meetings/<int:pk>/breakouts/<int:session>/lock/",
        views.breakout_lock,
        name="breakout_lock",
    ),
    path(
        "meetings/<int:pk>/breakouts/<int:session>/groups/<int:group>/",
        views.breakout_group,
        name="breakout_group",
    ),
    path(
        "meetings/<int:pk>/breakouts/<int:session>/delete/",
        views.breakout_delete,
        name="breakout_delete",
    ),
    path(
        "meetings/<int:pk>/breakouts/<int:session>/zoom.csv",
        views.breakout_zoom_csv,
        name="breakout_zoom",
    ),
    path(
        "meetings/<int:pk>/breakouts/<int:session>/roster/",
        views.breakout_roster,
        name="breakout_roster",
    ),
    path("meetings/<int:pk>/publish/", views.meeting_publish, name="publish"),
    path("meetings/<int:pk>/status/", views.meeting_status, name="status"),
    path("meetings/<int:pk>/copy/", views.meeting_copy, name="copy"),
    path("meetings/<int:pk>/register/", views.meeting_register, name="register"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="invite"),
    path(
        "meetings/<int:pk>/questionnaire/",
        views.questionnaire_create,
        name="questionnaire_create",
    ),
    path(
        "meetings/<int:pk>/questionnaire/send/",
        views.questionnaire_send,
        name="questionnaire_send",
    ),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("meetings/<int:pk>/results.pdf", views.results_pdf, name="results_pdf"),
]
