from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jobs"
    verbose_name = _("Background work")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which exist only once the
        # app registry is ready.
        from . import tasks  # noqa: F401  registers the Celery tasks in every process, not only the worker
        from .schedules import (
            allotment_date_changed,
            ensure_schedules_after_migrate,
            ensure_schedules_demo_step,
            series_resolved,
        )
        from .selectors import holder_reminders_panel, series_panel_context

        post_migrate.connect(ensure_schedules_after_migrate, dispatch_uid="jobs.ensure_schedules")

        # Hook into grants without grants importing this app (grants is the lower layer): resolving
        # a series schedules its allotment-date recomputation; the series page shows that schedule;
        # load_demo creates the periodic schedules.
        from grants import demo as grants_demo
        from grants import hooks as grants_hooks
        from grants.views.series import SeriesDetailView

        if series_resolved not in grants_hooks.after_series_resolved:
            grants_hooks.after_series_resolved.append(series_resolved)
        if allotment_date_changed not in grants_hooks.after_allotment_date_changed:
            grants_hooks.after_allotment_date_changed.append(allotment_date_changed)
        from .services import exercise_confirmed_reminder

        if exercise_confirmed_reminder not in grants_hooks.after_exercise_confirmed:
            grants_hooks.after_exercise_confirmed.append(exercise_confirmed_reminder)
        if series_panel_context not in SeriesDetailView.extra_context_providers:
            SeriesDetailView.extra_context_providers.append(series_panel_context)
        from holders.views import HolderDetailView

        if holder_reminders_panel not in HolderDetailView.extra_context_providers:
            HolderDetailView.extra_context_providers.append(holder_reminders_panel)

        from .services import holder_import_request

        if holder_import_request not in grants_hooks.holder_import_enqueue:
            grants_hooks.holder_import_enqueue.append(holder_import_request)
        if ensure_schedules_demo_step not in grants_demo.EXTRA_STEPS:
            grants_demo.EXTRA_STEPS.append(ensure_schedules_demo_step)
        from .demo import reminders_demo_step

        if reminders_demo_step not in grants_demo.EXTRA_STEPS:
            grants_demo.EXTRA_STEPS.append(reminders_demo_step)
