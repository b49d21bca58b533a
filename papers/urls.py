from django.urls import path

from . import auditviews, downloads, extract, pdfjob_views, registerviews, views

app_name = "papers"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("register/", registerviews.RegisterView.as_view(), name="register"),
    path("register.csv", registerviews.RegisterCsvView.as_view(), name="register_csv"),
    path("register.pdf", registerviews.RegisterPdfView.as_view(), name="register_pdf"),
    path("register/pdf/", pdfjob_views.RegisterPdfJobStartView.as_view(), name="register_pdf_start"),
    path("register/pdf/<int:pk>/", pdfjob_views.RegisterPdfJobView.as_view(), name="register_pdf_job"),
    path(
        "register/pdf/<int:pk>/download/",
        pdfjob_views.RegisterPdfJobDownloadView.as_view(),
        name="register_pdf_download",
    ),
    path(
        "register/pdf/<int:pk>/retry/",
        pdfjob_views.RegisterPdfJobRetryView.as_view(),
        name="register_pdf_retry",
    ),
    path("register.xlsx", downloads.RegisterXlsxView.as_view(), name="register_xlsx"),
    path("my/extract.pdf", extract.OwnExtractPdfView.as_view(), name="own_extract_pdf"),
    path("holders/<int:pk>/extract.pdf", extract.HolderExtractPdfView.as_view(), name="holder_extract_pdf"),
    path("series/<int:pk>/notice/issuance/", views.IssuanceNoticeView.as_view(), name="notice_issuance"),
    path(
        "series/<int:pk>/notice/issuance.pdf",
        views.IssuanceNoticeView.as_view(pdf=True),
        name="notice_issuance_pdf",
    ),
    path("series/<int:pk>/notice/amount/", views.AmountNoticeView.as_view(), name="notice_amount"),
    path(
        "series/<int:pk>/notice/amount.pdf",
        views.AmountNoticeView.as_view(pdf=True),
        name="notice_amount_pdf",
    ),
    path("disclosure/", views.DisclosureView.as_view(), name="disclosure"),
    path("disclosure.xlsx", downloads.DisclosureXlsxView.as_view(), name="disclosure_xlsx"),
    path("decisions.xlsx", downloads.DecisionsXlsxView.as_view(), name="decisions_xlsx"),
    path("audit/", auditviews.AuditView.as_view(), name="audit"),
    path("audit.csv", auditviews.AuditCsvView.as_view(), name="audit_csv"),
    path("companies/<int:pk>/ocf.zip", downloads.OcfDownloadView.as_view(), name="ocf_download"),
    path("audit.xlsx", downloads.AuditXlsxView.as_view(), name="audit_xlsx"),
]
