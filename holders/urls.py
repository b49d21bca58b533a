from django.urls import path

from . import views

app_name = "holders"

urlpatterns = [
    path("", views.HolderListView.as_view(), name="holder_list"),
    path("<int:pk>/", views.HolderDetailView.as_view(), name="holder_detail"),
]
