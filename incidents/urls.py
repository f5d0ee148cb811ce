from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.IncidentListView.as_view(), name="list"),
    path("baru/", views.IncidentCreateView.as_view(), name="create"),
    path("ekspor.csv", views.IncidentExportView.as_view(fmt="csv"), name="export_csv"),
    path("ekspor.xlsx", views.IncidentExportView.as_view(fmt="xlsx"), name="export_xlsx"),
    path("peta/", views.MapView.as_view(), name="map"),
    path("peta/data/", views.MapDataView.as_view(), name="map_data"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.IncidentEditView.as_view(), name="edit"),
    path("<int:pk>/ajukan/", views.IncidentTransitionView.as_view(transition="submit"), name="submit"),
    path("<int:pk>/verifikasi/", views.IncidentTransitionView.as_view(transition="verify"), name="verify"),
    path("<int:pk>/kembalikan/", views.IncidentTransitionView.as_view(transition="return"), name="return"),
    path("<int:pk>/tutup/", views.IncidentTransitionView.as_view(transition="close"), name="close"),
    path("<int:pk>/lampiran/", views.AttachmentUploadView.as_view(), name="attachment_upload"),
    path("<int:pk>/perkembangan/baru/", views.IncidentUpdateCreateView.as_view(), name="update_create"),
    path("lampiran/<int:pk>/unduh/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("potensi/", views.PotentialListView.as_view(), name="potential_list"),
    path("potensi/baru/", views.PotentialFormView.as_view(), name="potential_create"),
    path("potensi/<int:pk>/", views.PotentialDetailView.as_view(), name="potential_detail"),
    path("potensi/<int:pk>/ubah/", views.PotentialFormView.as_view(), name="potential_edit"),
    path("status-keadaan/", views.StatusListView.as_view(), name="status_list"),
    path("status-keadaan/baru/", views.StatusFormView.as_view(), name="status_create"),
    path("status-keadaan/<int:pk>/", views.StatusDetailView.as_view(), name="status_detail"),
    path("status-keadaan/<int:pk>/ubah/", views.StatusFormView.as_view(), name="status_edit"),
    path(
        "status-keadaan/<int:pk>/perpanjang/",
        views.StatusActionView.as_view(action="extend"),
        name="status_extend",
    ),
    path(
        "status-keadaan/<int:pk>/cabut/",
        views.StatusActionView.as_view(action="revoke"),
        name="status_revoke",
    ),
]
