from django.urls import path

from . import views

app_name = "valuations"

urlpatterns = [
    path("series/<int:pk>/valuations/", views.ValuationListView.as_view(), name="series_valuations"),
    path("valuations/<int:pk>/", views.ValuationDetailView.as_view(), name="valuation_detail"),
    path(
        "valuations/<int:pk>/recompute/", views.ValuationRecomputeView.as_view(), name="valuation_recompute"
    ),
    path("valuations/<int:pk>/finalize/", views.ValuationFinalizeView.as_view(), name="valuation_finalize"),
    path("valuations/<int:pk>/approve/", views.ValuationApproveView.as_view(), name="valuation_approve"),
    path("valuations/<int:pk>/reject/", views.ValuationRejectView.as_view(), name="valuation_reject"),
    path("market-data/", views.MarketDataView.as_view(), name="market_data"),
    path("market-data/import/<slug:kind>/", views.ImportView.as_view(), name="import"),
    path("market-data/batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch_detail"),
]
