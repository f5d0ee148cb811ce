from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import DashboardAPIView, PeriodicReportViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("period-reports", PeriodicReportViewSet, basename="period-report")

urlpatterns = [
    path("dashboard/", DashboardAPIView.as_view(), name="api-dashboard"),
    *router.urls,
]
