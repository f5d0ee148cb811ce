"""API token authentication (`Authorization: Token <key>`) with konflik's own tokens (`ApiToken`):
looked up by the key's hash, refused when revoked, expired, of an inactive user, or issued without a
one-time code to a role that requires two-step sign-in."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import ApiToken
from .permissions import role_of

# last_used is written at most once a minute per token, not on every request
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Token tidak sah."))
        now = timezone.now()
        if token.expires <= now:
            raise exceptions.AuthenticationFailed(_("Token sudah kedaluwarsa; minta token baru."))
        if role_of(token.user) in settings.KONFLIK_MFA_REQUIRED_ROLES and not token.mfa_verified:
            raise exceptions.AuthenticationFailed(
                _(
                    "Peran Anda wajib memakai verifikasi dua langkah: minta token baru dengan kode "
                    "verifikasi (otp_token)."
                )
            )
        if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token
