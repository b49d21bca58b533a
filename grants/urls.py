from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("series/", views.SeriesListView.as_view(), name="series_list"),
    path("series/<int:pk>/", views.SeriesDetailView.as_view(), name="series_detail"),
    path("series/<int:pk>/allot/", views.AllotmentCreateView.as_view(), name="allotment_create"),
]
