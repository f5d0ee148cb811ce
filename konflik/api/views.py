import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from konflik.filters import RegionFilter
from konflik.forms import USERNAME_MAX_LENGTH
from konflik.models import ApiToken, Notification, Region
from konflik.permissions import ALL_ROLES
from konflik.throttling import ScopedThrottle

from .serializers import ApiTokenSerializer, NotificationSerializer, RegionSerializer


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
    name = serializers.CharField(
        required=False,
        max_length=100,
        default="api",
        help_text="the client's name; a new token for the same name revokes the previous one",
    )


class ObtainTokenView(APIView):
    """`POST /api/auth/token/` with username and password (and `otp_token` for users with TOTP), and an
    optional client `name`, returns `{"token", "name", "expires"}`: one token per client, valid for
    `KONFLIK_API_TOKEN_DAYS`. A wrong password and a wrong or missing code get the same answer, and
    both count towards the django-axes lockout. Throttled."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer(
            "Token",
            {
                "token": serializers.CharField(),
                "name": serializers.CharField(),
                "expires": serializers.DateTimeField(),
            },
        ),
        auth=[],
    )
    def post(self, request):
        from django.contrib.auth import authenticate
        from django.contrib.auth.signals import user_login_failed

        from konflik.mfa import has_confirmed_device, needs_enrolment, verify_token
        from konflik.services import api_token_issue

        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        refused = serializers.ValidationError(
            {"non_field_errors": [_("Nama pengguna, kata sandi, atau kode verifikasi salah.")]}
        )
        user = authenticate(
            request=request._request, username=username, password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise refused
        mfa_verified = False
        if has_confirmed_device(user):
            if verify_token(user, data.validated_data.get("otp_token", "")) is None:
                # the same answer as a wrong password, and counted like one (lockout, security log)
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=request._request
                )
                raise refused
            mfa_verified = True
        elif needs_enrolment(user):
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Aktifkan verifikasi dua langkah di peramban sebelum memakai token.")
                    ]
                }
            )
        token, key = api_token_issue(user=user, name=data.validated_data["name"], mfa_verified=mfa_verified)
        return Response({"token": key, "name": token.name, "expires": token.expires})


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens (never their keys); `DELETE {id}/` revokes one."""

    serializer_class = ApiTokenSerializer
    write_roles = ALL_ROLES  # revoking one's own token is open to every role
    filterset_class = None
    ordering_fields = ["created", "expires", "name"]

    def get_queryset(self):
        return ApiToken.objects.visible_to(self.request.user)

    def perform_destroy(self, instance):
        from konflik.services import api_token_revoke

        api_token_revoke(token=instance, actor=self.request.user, reason="owner")
