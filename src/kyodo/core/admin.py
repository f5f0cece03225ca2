from django.contrib import admin

from kyodo.core.models import AuditEntry, PageFeedback


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "actor", "action", "object_repr")
    list_filter = ("action",)
    readonly_fields = (
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changes",
    )

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin[PageFeedback]):
    list_display = ("created_at", "path", "usefulness", "findability", "owner")
    list_filter = ("usefulness", "findability")
