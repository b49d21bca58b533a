from django.urls import path

from . import lifecycle_views as lv
from . import views

app_name = "grants"

urlpatterns = [
    path("series/", views.SeriesListView.as_view(), name="series_list"),
    path("series/new/", views.SeriesCreateView.as_view(), name="series_create"),
    path("series/<int:pk>/", views.SeriesDetailView.as_view(), name="series_detail"),
    path("series/<int:pk>/resolve/", views.SeriesResolveView.as_view(), name="series_resolve"),
    path(
        "series/<int:pk>/allotment-date/",
        views.SeriesAllotmentDateView.as_view(),
        name="series_allotment_date",
    ),
    path(
        "series/<int:pk>/close-allotment/",
        views.SeriesCloseAllotmentView.as_view(),
        name="series_close_allotment",
    ),
    path("series/<int:pk>/allot/", views.AllotmentCreateView.as_view(), name="allotment_create"),
    # Lifecycle of rights: departures, inheritance, transfers, exercises, corporate events.
    path("decisions/", lv.DecisionQueueView.as_view(), name="decision_queue"),
    path("rights/holder/<int:pk>/end-position/", lv.PositionEndView.as_view(), name="position_end"),
    path("rights/holder/<int:pk>/death/", lv.DeathRecordView.as_view(), name="death_record"),
    path("rights/holder/<int:pk>/inheritance/", lv.InheritanceOpenView.as_view(), name="inheritance_open"),
    path("rights/inheritance/<int:pk>/", lv.InheritanceDetailView.as_view(), name="inheritance_detail"),
    path("rights/inheritance/<int:pk>/designate/", lv.HeirDesignateView.as_view(), name="heir_designate"),
    path(
        "rights/inheritance/<int:pk>/approve/",
        lv.InheritanceApproveView.as_view(),
        name="inheritance_approve",
    ),
    path(
        "rights/holding/<int:pk>/transfer/", lv.TransferRequestCreateView.as_view(), name="transfer_request"
    ),
    path("rights/transfer/<int:pk>/", lv.TransferDetailView.as_view(), name="transfer_detail"),
    path("rights/transfer/<int:pk>/approve/", lv.TransferApproveView.as_view(), name="transfer_approve"),
    path("rights/transfer/<int:pk>/reject/", lv.TransferRejectView.as_view(), name="transfer_reject"),
    path("rights/transfer/<int:pk>/register/", lv.TransferRegisterView.as_view(), name="transfer_register"),
    path(
        "rights/holding/<int:pk>/exercise/", lv.ExerciseRequestCreateView.as_view(), name="exercise_request"
    ),
    path("rights/exercise/<int:pk>/", lv.ExerciseDetailView.as_view(), name="exercise_detail"),
    path("rights/exercise/<int:pk>/confirm/", lv.ExerciseConfirmView.as_view(), name="exercise_confirm"),
    path("rights/exercise/<int:pk>/withdraw/", lv.ExerciseWithdrawView.as_view(), name="exercise_withdraw"),
    path(
        "series/<int:pk>/corporate-action/",
        lv.CorporateActionCreateView.as_view(),
        name="corporate_action_create",
    ),
    path(
        "rights/corporate-action/<int:pk>/",
        lv.CorporateActionDetailView.as_view(),
        name="corporate_action_detail",
    ),
    path(
        "rights/corporate-action/<int:pk>/approve/",
        lv.CorporateActionApproveView.as_view(),
        name="corporate_action_approve",
    ),
    path(
        "rights/corporate-action/<int:pk>/reject/",
        lv.CorporateActionRejectView.as_view(),
        name="corporate_action_reject",
    ),
    path("series/<int:pk>/acquisition/", lv.AcquisitionResolveView.as_view(), name="acquisition_resolve"),
    path(
        "rights/acquisition/<int:pk>/execute/",
        lv.AcquisitionExecuteView.as_view(),
        name="acquisition_execute",
    ),
    path("series/<int:pk>/cancel-rights/", lv.RightsCancelView.as_view(), name="rights_cancel"),
    path("series/<int:pk>/restructure/", lv.RestructuringView.as_view(), name="restructuring_apply"),
]
