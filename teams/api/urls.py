from rest_framework.routers import DefaultRouter

from .views import (
    FollowUpViewSet,
    InstitutionViewSet,
    MeetingViewSet,
    MemberViewSet,
    PositionViewSet,
    TeamViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("teams", TeamViewSet, basename="team")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("positions", PositionViewSet, basename="position")
router.register("members", MemberViewSet, basename="member")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")

urlpatterns = router.urls
