"""Test-only routes: a page and an API endpoint whose write calls `require_write` for the region in
the query string, so the tests see exactly what a service's refusal becomes on each surface."""

from django.http import HttpResponse
from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from konflik.access import require_write
from konflik.permissions import PROVINCE_ROLES, WRITE_ROLES
from konflik.urls import handler404  # noqa: F401  (the 404 handler)
from konflik.urls import urlpatterns as project_urlpatterns


def _check(request):
    roles = PROVINCE_ROLES if request.GET.get("roles") == "province" else WRITE_ROLES
    require_write(request.user, region_code=request.GET.get("region"), roles=roles, message="Tidak boleh.")


def page(request):
    _check(request)
    return HttpResponse("ok")


class Endpoint(APIView):
    # only signed in: the role is left to `require_write` (the project's RolePermission would refuse
    # leadership's POST before the view runs)
    permission_classes = [IsAuthenticated]

    def post(self, request):
        _check(request)
        return Response({"ok": True})


urlpatterns = [
    path("uji/tulis/", page),
    path("api/uji/tulis/", Endpoint.as_view()),
    *project_urlpatterns,
]
