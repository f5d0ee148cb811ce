from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("laporan/", views.ReportListView.as_view(), name="reports"),
    path("laporan/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("laporan/<int:pk>/unduh.<str:fmt>", views.ReportDownloadView.as_view(), name="report_download"),
]
