from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("reminders/", views.ReminderListView.as_view(), name="reminder_list"),
    path("series/<int:pk>/recompute/", views.RecomputeRunView.as_view(), name="recompute_run"),
]
