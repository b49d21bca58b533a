from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from equityplan import second_factor

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="papers:dashboard", permanent=False)),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("login/second-factor/", second_factor.VerifyView.as_view(), name="otp_verify"),
    path("login/second-factor/enrol/", second_factor.EnrolView.as_view(), name="otp_enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("holders/", include("holders.urls")),
    path("", include("grants.urls")),
    path("", include("valuations.urls")),
    path("", include("papers.urls")),
    path("", include("jobs.urls")),
    path("", include("accounting.urls")),
]
