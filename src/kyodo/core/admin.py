from django.contrib import admin

from kyodo.core.models import AuditEntry, Job, PageFeedback


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


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    """For operators: find a job by its task result id and read how it went. Jobs change only
    through kyodo.core.jobs, so nothing here is editable."""

    list_display = ("created_at", "title", "kind", "status", "progress", "attempts", "started_by")
    list_filter = ("status", "kind")
    search_fields = ("title", "task_result_id", "id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
