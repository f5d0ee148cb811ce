from rest_framework.routers import DefaultRouter

from .views import ConflictPotentialViewSet, ConflictStatusViewSet, IncidentViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("incidents", IncidentViewSet, basename="incident")
router.register("conflict-potentials", ConflictPotentialViewSet, basename="conflict-potential")
router.register("conflict-statuses", ConflictStatusViewSet, basename="conflict-status")

urlpatterns = router.urls
