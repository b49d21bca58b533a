from django.urls import path

from .views import (
    acquisitions,
    allotments,
    bulk,
    corporate_actions,
    decisions,
    evidence,
    exercises,
    holders,
    inheritance,
    portal,
    restructuring,
    series,
    transfers,
)

app_name = "grants"

urlpatterns = [
    # The holder's own view (a signed-in holder or heir only).
    path("my/", portal.PortalHomeView.as_view(), name="portal_home"),
    path("my/lots/<int:pk>/exercise/", portal.PortalExerciseView.as_view(), name="portal_exercise"),
    path("evidence/<int:pk>/", evidence.EvidenceDownloadView.as_view(), name="evidence_download"),
    path(
        "evidence/<slug:subject>/<int:pk>/attach/",
        evidence.EvidenceAttachView.as_view(),
        name="evidence_attach",
    ),
    path("holders/import/", bulk.HolderImportUploadView.as_view(), name="holder_import"),
    path("holders/import/<int:pk>/", bulk.HolderImportDetailView.as_view(), name="holder_import_detail"),
    path(
        "holders/import/<int:pk>/confirm/",
        bulk.HolderImportConfirmView.as_view(),
        name="holder_import_confirm",
    ),
    path(
        "holders/import/<int:pk>/progress/",
        bulk.HolderImportProgressView.as_view(),
        name="holder_import_progress",
    ),
    path(
        "holders/import/template.<str:fmt>",
        bulk.HolderImportTemplateView.as_view(),
        name="holder_import_template",
    ),
    path("series/", series.SeriesListView.as_view(), name="series_list"),
    path("series/new/", series.SeriesCreateView.as_view(), name="series_create"),
    path("series/<int:pk>/", series.SeriesDetailView.as_view(), name="series_detail"),
    path("series/<int:pk>/resolve/", series.SeriesResolveView.as_view(), name="series_resolve"),
    path(
        "series/<int:pk>/allotment-date/",
        series.SeriesAllotmentDateView.as_view(),
        name="series_allotment_date",
    ),
    path(
        "series/<int:pk>/close-allotment/",
        series.SeriesCloseAllotmentView.as_view(),
        name="series_close_allotment",
    ),
    path("series/<int:pk>/allot/", allotments.AllotmentCreateView.as_view(), name="allotment_create"),
    # Lifecycle of rights: departures, inheritance, transfers, exercises, corporate events.
    path("decisions/", decisions.DecisionQueueView.as_view(), name="decision_queue"),
    path("rights/holder/<int:pk>/end-position/", holders.PositionEndView.as_view(), name="position_end"),
    path("rights/holder/<int:pk>/death/", holders.DeathRecordView.as_view(), name="death_record"),
    path(
        "rights/holder/<int:pk>/inheritance/",
        inheritance.InheritanceOpenView.as_view(),
        name="inheritance_open",
    ),
    path(
        "rights/inheritance/<int:pk>/", inheritance.InheritanceDetailView.as_view(), name="inheritance_detail"
    ),
    path(
        "rights/inheritance/<int:pk>/designate/",
        inheritance.HeirDesignateView.as_view(),
        name="heir_designate",
    ),
    path(
        "rights/inheritance/<int:pk>/approve/",
        inheritance.InheritanceApproveView.as_view(),
        name="inheritance_approve",
    ),
    path(
        "rights/inheritance/<int:pk>/reject/",
        inheritance.InheritanceRejectView.as_view(),
        name="inheritance_reject",
    ),
    path(
        "rights/holding/<int:pk>/transfer/",
        transfers.TransferRequestCreateView.as_view(),
        name="transfer_request",
    ),
    path("rights/transfer/<int:pk>/", transfers.TransferDetailView.as_view(), name="transfer_detail"),
    path(
        "rights/transfer/<int:pk>/approve/", transfers.TransferApproveView.as_view(), name="transfer_approve"
    ),
    path("rights/transfer/<int:pk>/reject/", transfers.TransferRejectView.as_view(), name="transfer_reject"),
    path(
        "rights/transfer/<int:pk>/register/",
        transfers.TransferRegisterView.as_view(),
        name="transfer_register",
    ),
    path(
        "rights/holding/<int:pk>/exercise/",
        exercises.ExerciseRequestCreateView.as_view(),
        name="exercise_request",
    ),
    path("rights/exercise/<int:pk>/", exercises.ExerciseDetailView.as_view(), name="exercise_detail"),
    path(
        "rights/exercise/<int:pk>/confirm/", exercises.ExerciseConfirmView.as_view(), name="exercise_confirm"
    ),
    path(
        "rights/exercise/<int:pk>/withdraw/",
        exercises.ExerciseWithdrawView.as_view(),
        name="exercise_withdraw",
    ),
    path(
        "series/<int:pk>/corporate-action/",
        corporate_actions.CorporateActionCreateView.as_view(),
        name="corporate_action_create",
    ),
    path(
        "rights/corporate-action/<int:pk>/",
        corporate_actions.CorporateActionDetailView.as_view(),
        name="corporate_action_detail",
    ),
    path(
        "rights/corporate-action/<int:pk>/approve/",
        corporate_actions.CorporateActionApproveView.as_view(),
        name="corporate_action_approve",
    ),
    path(
        "rights/corporate-action/<int:pk>/reject/",
        corporate_actions.CorporateActionRejectView.as_view(),
        name="corporate_action_reject",
    ),
    path(
        "series/<int:pk>/acquisition/",
        acquisitions.AcquisitionResolveView.as_view(),
        name="acquisition_resolve",
    ),
    path(
        "rights/acquisition/<int:pk>/execute/",
        acquisitions.AcquisitionExecuteView.as_view(),
        name="acquisition_execute",
    ),
    path("series/<int:pk>/cancel-rights/", acquisitions.RightsCancelView.as_view(), name="rights_cancel"),
    path(
        "series/<int:pk>/restructure/", restructuring.RestructuringView.as_view(), name="restructuring_apply"
    ),
]
