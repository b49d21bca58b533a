from django.urls import path

from .views import reports, series, tax

app_name = "accounting"

urlpatterns = [
    path("accounting/", reports.OverviewView.as_view(), name="overview"),
    path(
        "accounting/companies/<int:pk>/settings/", reports.AccountingSettingsView.as_view(), name="settings"
    ),
    path("accounting/note/", reports.NoteView.as_view(), name="note"),
    path("accounting/note.pdf", reports.NoteView.as_view(pdf=True), name="note_pdf"),
    path("accounting/note.csv", reports.NoteCsvView.as_view(), name="note_csv"),
    path("accounting/journal/", reports.JournalView.as_view(), name="journal"),
    path("accounting/journal.csv", reports.JournalView.as_view(export="csv"), name="journal_csv"),
    path("accounting/journal.xlsx", reports.JournalView.as_view(export="xlsx"), name="journal_xlsx"),
    path("accounting/series/<int:pk>/schedule/", series.SeriesScheduleView.as_view(), name="series_schedule"),
    path(
        "accounting/series/<int:pk>/service-period/",
        series.ServicePeriodSetView.as_view(),
        name="service_period",
    ),
    path("accounting/tax/", tax.TaxView.as_view(), name="tax"),
    path("accounting/tax/payroll.csv", tax.PayrollCsvView.as_view(), name="payroll_csv"),
    path("accounting/tax/annual.csv", tax.AnnualReportCsvView.as_view(), name="annual_csv"),
]
