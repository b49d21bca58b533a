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
    path("<int:pk>/sign-in/", views.HolderLoginCreateView.as_view(), name="holder_login_create"),
    path("<int:pk>/my-number/", views.MyNumberSetView.as_view(), name="my_number_set"),
    path("<int:pk>/my-number/reveal/", views.MyNumberRevealView.as_view(), name="my_number_reveal"),
]
