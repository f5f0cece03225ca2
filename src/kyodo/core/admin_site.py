from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class KyodoAdminSite(AdminSite):
    """Django's admin is for site administrators only; everyday work has its own pages."""

    site_header = "kyodo サイト管理"
    site_title = "kyodo サイト管理"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class KyodoAdminConfig(AdminConfig):
    default_site = "kyodo.core.admin_site.KyodoAdminSite"
