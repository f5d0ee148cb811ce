"""Two-step sign-in with TOTP (django-otp): enrolment, verification after the password, and the
policy of which roles must enrol (`KONFLIK_MFA_REQUIRED_ROLES`)."""

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import role_of
from .services import user_mfa_enrol


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_enrolment(user) -> bool:
    return role_of(user) in settings.KONFLIK_MFA_REQUIRED_ROLES and not has_confirmed_device(user)


def verify_token(user, token: str):
    """The confirmed device that accepts `token`, or None."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request):
    """Where to go after the code: a URL of this host only, and only https on a secure connection or
    in production (an `http://` link of the same host would leave TLS)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure() or settings.PRODUCTION,
    ):
        return target
    return "home"


@login_required
def mfa_setup(request):
    """Enrol a TOTP device: show the key as a QR code, confirm with one code.

    A user who already has a confirmed device must first verify it in this session: otherwise the
    password alone would be enough to replace the second factor (probe finding 1). A first enrolment
    needs only the password, as it always did.
    """
    if has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('mfa_verify')}?{urlencode({'next': reverse('mfa_setup')})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="autentikator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            user_mfa_enrol(user=request.user, device=device, actor=request.user)
            otp_login(request, device)
            request.session["konflik_mfa"] = "verify"
            return redirect(_next_url(request))
        form.add_error("token", _("Kode salah atau kedaluwarsa. Coba kode yang baru."))
    svg = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(svg)
    return render(
        request,
        "registration/mfa_setup.html",
        {"form": form, "qr_svg": svg.getvalue().decode(), "secret": _b32(device), "next": _next_url(request)},
    )


def _b32(device):
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
def mfa_verify(request):
    if not has_confirmed_device(request.user):
        # the devices were reset since this session signed in: it is a first enrolment again
        request.session["konflik_mfa"] = "enrol" if needs_enrolment(request.user) else "none"
        return redirect("mfa_setup" if needs_enrolment(request.user) else _next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("Kode salah atau kedaluwarsa."))
    return render(request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)})
