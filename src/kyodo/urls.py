from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from kyodo.core.api import api
from kyodo.core.permissions import login_required, public

urlpatterns = [
    path("", include("kyodo.core.urls")),
    path("", include("kyodo.directory.urls")),
    path("", include("kyodo.meetings.urls")),
    path("", include("kyodo.surveys.urls")),
    path("", include("kyodo.calendar.urls")),
    path("", include("kyodo.publications.urls")),
    path("", include("kyodo.liaison.urls")),
    path("", include("kyodo.knowledge.urls")),
    # The JSON API authenticates every operation itself (see core/api.py).
    path("api/", api.urls),
    path(
        "accounts/login/",
        public(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", login_required(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    # Django's admin checks its own permission (site administrators only, see core.admin).
    path("admin/", admin.site.urls),
]
