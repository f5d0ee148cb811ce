from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("", views.TeamListView.as_view(), name="team_list"),
    path("baru/", views.TeamCreateView.as_view(), name="team_create"),
    path("<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("<int:pk>/ubah/", views.TeamUpdateView.as_view(), name="team_update"),
    path("<int:pk>/sk-baru/", views.DecreeCreateView.as_view(), name="decree_create"),
    path("<int:pk>/anggota/baru/", views.MemberCreateView.as_view(), name="member_create"),
    path("<int:pk>/anggota/impor/", views.MemberImportView.as_view(), name="member_import"),
    path("anggota/", views.MemberListView.as_view(), name="member_list"),
    path("anggota/<int:pk>/ubah/", views.MemberUpdateView.as_view(), name="member_update"),
    path("anggota/<int:pk>/hapus/", views.MemberDeleteView.as_view(), name="member_delete"),
    path("instansi/", views.InstitutionListView.as_view(), name="institution_list"),
    path("instansi/baru/", views.InstitutionFormView.as_view(), name="institution_create"),
    path("instansi/<int:pk>/ubah/", views.InstitutionFormView.as_view(), name="institution_update"),
    path("rapat/", views.MeetingListView.as_view(), name="meeting_list"),
    path("rapat/baru/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("rapat/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("rapat/<int:pk>/ubah/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("rapat/<int:pk>/status/", views.MeetingStatusView.as_view(), name="meeting_status"),
    path("rapat/<int:pk>/batal/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("rapat/<int:pk>/kehadiran/", views.MeetingAttendanceView.as_view(), name="meeting_attendance"),
    path("rapat/<int:pk>/notulen/", views.MeetingMinutesView.as_view(), name="meeting_minutes"),
    path("rapat/<int:pk>/rapat.ics", views.MeetingIcsView.as_view(), name="meeting_ics"),
    path(
        "rapat/<int:meeting_pk>/lampiran/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "rapat/<int:meeting_pk>/lampiran/<int:pk>/hapus/",
        views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path("rapat/<int:pk>/tindak-lanjut/baru/", views.FollowUpCreateView.as_view(), name="followup_create"),
    path("tindak-lanjut/", views.FollowUpListView.as_view(), name="followup_list"),
    path("tindak-lanjut/<int:pk>/", views.FollowUpDetailView.as_view(), name="followup_detail"),
    path("kalender/", views.CalendarView.as_view(), name="calendar"),
    path("kalender/langganan/", views.CalendarFeedSettingsView.as_view(), name="calendar_feed_settings"),
    path("kalender/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
