from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import LedgerCheck, OutboxJob, Reminder
from .services import job_dispatch


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "task", "status", "attempts", "dispatches", "series", "available_at", "finished_at")
    list_filter = ("status", "task")
    search_fields = ("dedupe_key", "last_error")
    list_select_related = ("series",)
    readonly_fields = [f.name for f in OutboxJob._meta.fields]
    actions = ["send_now"]

    @admin.action(description=gettext_lazy("Send the selected due jobs to the queue now"))
    def send_now(self, request, queryset):
        """The same dispatch the 30-second beat entry runs, for jobs an administrator is watching."""
        sent = sum(job_dispatch(job_id=pk) for pk in queryset.values_list("pk", flat=True))
        level = messages.SUCCESS if sent else messages.WARNING
        self.message_user(
            request,
            _("%(sent)d of %(selected)d jobs sent (only pending or waiting jobs that are due are sent).")
            % {"sent": sent, "selected": queryset.count()},
            level=level,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerCheck)
class LedgerCheckAdmin(admin.ModelAdmin):
    """The verifier's record: read-only, the next check reads the last good one's chain heads."""

    list_display = ("checked_at", "ok", "rows", "first_problem")
    list_filter = ("ok",)
    search_fields = ("first_problem",)
    readonly_fields = [f.name for f in LedgerCheck._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The record of each reminder: read only, since a reminder is planned and sent by jobs.reminders."""

    list_display = ("on_date", "kind", "recipient", "status", "sent_at", "attempts")
    list_filter = ("status", "kind")
    search_fields = ("recipient", "subject", "message_id")
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
