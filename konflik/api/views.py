import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from konflik.filters import RegionFilter
from konflik.forms import USERNAME_MAX_LENGTH
from konflik.models import Notification, Region
from konflik.permissions import ALL_ROLES
from konflik.throttling import ScopedThrottle

from .serializers import NotificationSerializer, RegionSerializer


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions in the caller's scope (and its ancestors), by Kemendagri code."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user)


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="unread")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own in-app notifications; `POST {id}/read/` and `POST read-all/` mark them read."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    write_roles = ALL_ROLES  # marking one's own notification read is open to every role

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = self.get_queryset().unread().update(read_at=timezone.now())
        return Response({"marked": marked})


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=USERNAME_MAX_LENGTH)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp_token = serializers.CharField(
        required=False, allow_blank=True, help_text="needed when TOTP is enrolled"
    )


class ObtainTokenView(APIView):
    """`POST /api/auth/token/` with username and password (and `otp_token` for users with TOTP)
    returns `{"token": ...}`. Throttled; failures count towards the django-axes lockout."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("Token", {"token": serializers.CharField()}),
        auth=[],
    )
    def post(self, request):
        from django.contrib.auth import authenticate
        from rest_framework.authtoken.models import Token

        from konflik.mfa import has_confirmed_device, needs_enrolment, verify_token

        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Nama pengguna atau kata sandi salah.")]}
            )
        if has_confirmed_device(user):
            if verify_token(user, data.validated_data.get("otp_token", "")) is None:
                raise serializers.ValidationError({"otp_token": [_("Kode verifikasi dua langkah salah.")]})
        elif needs_enrolment(user):
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Aktifkan verifikasi dua langkah di peramban sebelum memakai token.")
                    ]
                }
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
