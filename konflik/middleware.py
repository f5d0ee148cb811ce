import uuid

from django.utils.cache import add_never_cache_headers, patch_cache_control

from .context import request_id_var


class RequestIdMiddleware:
    """Tags each request with an id (kept from `X-Request-ID` when sane) for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
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
