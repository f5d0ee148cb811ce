"""What a locked-out sign-in gets (django-axes): the lockout page in the browser, JSON under /api/ (the
token endpoint), both with status 429."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Terlalu banyak percobaan masuk; coba lagi nanti.")}, status=429)
    return render(request, "registration/locked_out.html", status=429)
