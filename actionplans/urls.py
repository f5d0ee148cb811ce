from django.urls import path

from . import views

app_name = "actionplans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("baru/", views.PlanCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.PlanUpdateView.as_view(), name="update"),
    path("<int:pk>/setujui/", views.PlanActionView.as_view(step="approve"), name="approve"),
    path("<int:pk>/buka-kembali/", views.PlanActionView.as_view(step="reopen"), name="reopen"),
    path("<int:pk>/salin/", views.PlanActionView.as_view(step="copy"), name="copy"),
    path("<int:pk>/hapus/", views.PlanActionView.as_view(step="delete"), name="delete"),
    path("<int:pk>/ekspor.xlsx", views.PlanExportView.as_view(), name="export"),
    path("<int:pk>/impor/", views.PlanImportView.as_view(), name="import"),
    path("<int:plan_pk>/kegiatan/baru/", views.ActivityFormView.as_view(), name="activity_create"),
    path("kegiatan/<int:pk>/ubah/", views.ActivityFormView.as_view(), name="activity_update"),
    path("kegiatan/<int:pk>/hapus/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path(
        "kegiatan/<int:pk>/realisasi/<str:period>/",
        views.RealisationStartView.as_view(),
        name="realisation_start",
    ),
    path("realisasi/", views.RealisationListView.as_view(), name="realisations"),
    path("realisasi/<int:pk>/", views.RealisationDetailView.as_view(), name="realisation"),
    path("realisasi/<int:pk>/kirim/", views.RealisationStepView.as_view(step="submit"), name="submit"),
    path("realisasi/<int:pk>/terima/", views.RealisationStepView.as_view(step="accept"), name="accept"),
    path("realisasi/<int:pk>/kembalikan/", views.RealisationStepView.as_view(step="return"), name="return"),
    path("data-dukung/<int:pk>/unduh/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("data-dukung/<int:pk>/hapus/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("jatuh-tempo/", views.DueView.as_view(), name="due"),
    path("pengiriman/", views.SubmissionTableView.as_view(), name="submissions"),
]
