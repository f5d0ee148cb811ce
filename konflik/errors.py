"""Error pages. Under /api/ a path that matches no route answers JSON like the rest of the API (the
OpenAPI schema promises `application/json`); everywhere else, Django's page."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Tidak ditemukan.")}, status=404)
    return page_not_found(request, exception)
