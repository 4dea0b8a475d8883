"""Django admin for site administrators (user accounts, studies, audit log)."""

from django.contrib import admin

from anticipe.workshop.models import AuditEvent, Study, StudyMember


class StudyMemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StudyMember
    extra = 0


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "status", "language", "join_code", "updated_at"]
    list_filter = ["status", "language"]
    search_fields = ["title"]
    inlines = [StudyMemberInline]
    # Answers are not shown here: no one reads an expert's individual answers.
    fields = ["title", "job_description", "horizon_label", "language", "status", "join_code"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "study", "actor", "action"]
    list_filter = ["action"]
    readonly_fields = ["study", "actor", "action", "detail", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
