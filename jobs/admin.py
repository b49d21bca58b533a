from django.contrib import admin

from .models import OutboxJob


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "task", "status", "attempts", "dispatches", "series", "available_at", "finished_at")
    list_filter = ("status", "task")
    search_fields = ("dedupe_key", "last_error")
    list_select_related = ("series",)
    readonly_fields = [f.name for f in OutboxJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
