from django.urls import path

from . import views

app_name = "holders"

urlpatterns = [
    path("", views.HolderListView.as_view(), name="holder_list"),
    path("new/", views.HolderCreateView.as_view(), name="holder_create"),
    path("<int:pk>/", views.HolderDetailView.as_view(), name="holder_detail"),
    path("<int:pk>/details/", views.HolderDetailsView.as_view(), name="holder_details"),
    path("<int:pk>/address/", views.AddressChangeView.as_view(), name="address_change"),
    path("<int:pk>/position/", views.PositionStartView.as_view(), name="position_start"),
]
