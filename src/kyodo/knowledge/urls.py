from django.urls import path

from kyodo.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("knowledge/posts/", views.post_list, name="post_list"),
    path("knowledge/posts/new/", views.post_new, name="post_new"),
    path("knowledge/posts/<int:pk>/", views.post_detail, name="post"),
    path("knowledge/posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("knowledge/posts/<int:pk>/withdraw/", views.post_withdraw, name="post_withdraw"),
    path("knowledge/posts/<int:pk>/files/<int:file>/", views.post_file, name="post_file"),
    path(
        "knowledge/posts/<int:pk>/files/<int:file>/delete/",
        views.post_file_delete,
        name="post_file_delete",
    ),
    path("knowledge/cases/", views.case_list, name="case_list"),
    path("knowledge/cases/new/", views.case_new, name="case_new"),
    path("knowledge/cases/<int:pk>/", views.case_detail, name="case"),
    path("knowledge/cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("knowledge/cases/<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("knowledge/cases/<int:pk>/files/<int:file>/", views.case_file, name="case_file"),
    path(
        "knowledge/cases/<int:pk>/files/<int:file>/delete/",
        views.case_file_delete,
        name="case_file_delete",
    ),
    path("knowledge/qa/", views.qa_list, name="qa_list"),
    path("knowledge/qa/<int:pk>/", views.qa_detail, name="qa"),
    path("knowledge/manage/", views.manage, name="manage"),
]
