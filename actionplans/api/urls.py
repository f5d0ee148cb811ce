from rest_framework.routers import DefaultRouter

from .views import ActionPlanViewSet, ActivityViewSet, RealisationViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("action-plans", ActionPlanViewSet, basename="action-plan")
router.register("activities", ActivityViewSet, basename="activity")
router.register("realisations", RealisationViewSet, basename="realisation")

urlpatterns = router.urls
