import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from .clientip import client_ip
from .context import request_id_var


class RequestLimitsMiddleware:
    """Before anything reads the request: a body declared larger than `KONFLIK_MAX_REQUEST_BYTES` (or,
    without files, than `DATA_UPLOAD_MAX_MEMORY_SIZE`) is refused with 413 before a byte of it is read
    or parsed. A path with a NUL byte, which no code or id contains and PostgreSQL refuses, is a 404
    (in a query string the forms and filters refuse it themselves: Django's and DRF's `CharField`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self._refuse(request, 400, _("Permintaan tidak sah."))
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.KONFLIK_MAX_REQUEST_BYTES
        if not multipart and settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None:
            limit = min(limit, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if declared > limit:
            security_log.warning(
                "request too large bytes=%s path=%s ip=%s", declared, request.path[:200], client_ip(request)
            )
            return self._refuse(request, 413, _("Permintaan terlalu besar."))
        if "\x00" in request.path_info:
            return self._refuse(request, 404, _("Tidak ditemukan."))
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status, message):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


# A well-formed request id of the client's (a proxy's or a caller's trace id).
CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")


class RequestIdMiddleware:
    """Tags each request with an id of the server's own (a random UUID) for the audit log and the
    `X-Request-ID` answer header. A client's `X-Request-ID` never becomes the audit event's id (it
    could repeat another request's, or carry anything into the log): a well-formed one (8-64 of
    letters, digits, `._:-`) is echoed as `X-Client-Request-ID` so that the caller can match its own
    log line to the server's id; anything else is dropped."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        client_id = incoming if CLIENT_REQUEST_ID.fullmatch(incoming) else ""
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        if client_id:
            response["X-Client-Request-ID"] = client_id
        return response


class NoStoreForAuthenticatedMiddleware:
    """Nothing a signed-in user was shown may stay in a shared or browser cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.headers.get("Authorization"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


security_log = logging.getLogger("konflik.security")


def mark_session_at_login(request, user):
    """Called at sign-in: the session's start time and what two-step sign-in it still needs, so that
    the middlewares below read the session instead of the database on every request."""
    from .mfa import has_confirmed_device, needs_enrolment

    now = int(time.time())
    request.session["konflik_started"] = now
    request.session["konflik_seen"] = now
    if has_confirmed_device(user):
        request.session["konflik_mfa"] = "verify"
    elif needs_enrolment(user):
        request.session["konflik_mfa"] = "enrol"
    else:
        request.session["konflik_mfa"] = "none"


class SessionTimeoutMiddleware:
    """Ends a browser session after `KONFLIK_SESSION_IDLE_SECONDS` without a request and, in any
    case, `KONFLIK_SESSION_ABSOLUTE_SECONDS` after sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.get("konflik_started", now)
            last_seen = request.session.get("konflik_seen", now)
            idle = now - last_seen > settings.KONFLIK_SESSION_IDLE_SECONDS
            expired = now - started > settings.KONFLIK_SESSION_ABSOLUTE_SECONDS
            if idle or expired:
                security_log.info("session ended (%s) user=%s", "idle" if idle else "absolute", user.pk)
                logout(request)
            elif "konflik_started" not in request.session or now - last_seen >= 30:
                # written at most twice a minute
                request.session["konflik_started"] = started
                request.session["konflik_seen"] = now
        return self.get_response(request)


class MfaRequiredMiddleware:
    """A user with a confirmed TOTP device must verify it after the password; a user whose role is in
    `KONFLIK_MFA_REQUIRED_ROLES` must enrol first. Browser sessions only: API tokens are issued after
    the same check (see konflik.api.views.ObtainTokenView) and carry whether it was made
    (konflik.authentication). The enrolment pages are exempt: `konflik.mfa.mfa_setup` itself refuses a
    session that has a device but did not verify it."""

    EXEMPT_PREFIXES = ("/masuk/", "/keluar/", "/akun/mfa/", "/static/", "/i18n/", "/jsi18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            user is not None
            and user.is_authenticated
            and session is not None
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not user.is_verified()
        ):
            if "konflik_mfa" not in session:
                mark_session_at_login(request, user)
            target = {"verify": "mfa_verify", "enrol": "mfa_setup"}.get(session["konflik_mfa"])
            if target:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Verifikasi dua langkah diperlukan.")}, status=403)
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class RefusedAccessLogMiddleware:
    """Every refused access (401/403) is logged: who, what, from where; never a secret."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (401, 403):
            user = getattr(request, "user", None)
            security_log.warning(
                "access refused status=%s user=%s method=%s path=%s ip=%s",
                response.status_code,
                getattr(user, "pk", None) if user is not None and user.is_authenticated else "anonymous",
                request.method,
                request.path,
                client_ip(request),
            )
        return response


class RateLimitMiddleware:
    """HTML pages: searches (`?q=`) and views with `throttle_scope` are rate-limited with the API's
    throttles (konflik.throttling); the API applies the same classes itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .throttling import ScopeThrottle, is_search

        if request.path.startswith("/api/"):
            return None
        view_class = getattr(view_func, "view_class", None)
        scope = getattr(view_class, "throttle_scope", None) or getattr(view_func, "throttle_scope", None)
        if scope is None and request.method == "GET" and is_search(request.GET):
            scope = "search"
        if scope is None:
            return None
        throttle = ScopeThrottle(scope)
        if throttle.allow_request(request, None):
            return None
        response = HttpResponse(_("Terlalu banyak permintaan; coba lagi sebentar lagi."), status=429)
        wait = throttle.wait()
        if wait:
            response["Retry-After"] = str(int(wait) + 1)
        return response


class SignInAddressLimitMiddleware:
    """Password spraying: once an address has failed `KONFLIK_LOGIN_ADDRESS_FAILURE_LIMIT` sign-ins
    across any usernames within the window, every sign-in from it (the page and the token endpoint)
    gets the lockout answer, 429, before a password is checked (konflik.lockout)."""

    SIGN_IN_URL_NAMES = ("login", "api-token")

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def __call__(self, request):
        from .lockout import address_limit_reached, lockout_response

        if self._paths is None:
            self._paths = {reverse(name) for name in self.SIGN_IN_URL_NAMES}
        if request.method == "POST" and request.path_info in self._paths and address_limit_reached(request):
            security_log.warning(
                "login refused: address limit ip=%s path=%s", client_ip(request), request.path
            )
            return lockout_response(request)
        return self.get_response(request)


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the user chose otherwise with the language switch (cookie).

    Django's own middleware follows the browser's Accept-Language, and most office browsers say
    English; the people who use konflik work in Indonesian, so the browser is not asked.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
