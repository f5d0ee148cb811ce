"""Institutions (instansi) of the user's regions: the list, and one form for creating and editing."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from konflik.permissions import READ_ROLES, RoleRequiredMixin
from konflik.web import editable_copy, paginate

from .. import selectors, services
from ..filters import InstitutionFilter
from ..forms import InstitutionForm
from ..models import Institution
from .teams import TeamsFormView


class InstitutionListView(RoleRequiredMixin, View):
    roles = READ_ROLES

    def get(self, request):
        filterset = InstitutionFilter(
            request.GET or None, queryset=selectors.institution_list(user=request.user)
        )
        return render(
            request,
            "teams/institution_list.html",
            {"filter": filterset, "page_obj": paginate(request, filterset.qs)},
        )


class InstitutionFormView(TeamsFormView):
    """`instansi/baru/` creates, `instansi/<pk>/ubah/` edits one the user sees (else 404); the
    service checks the region is one the user may write to."""

    form_class = InstitutionForm
    title = _("Instansi")
    success_message = _("Instansi disimpan.")

    def get_object(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(Institution.objects.visible_to(self.request.user), pk=pk)

    def get_form_kwargs(self):
        instance = editable_copy(self.object) if self.object is not None else None
        return {"instance": instance, "user": self.request.user}

    def perform(self, form):
        if self.object is None:
            return services.institution_create(actor=self.request.user, **form.cleaned_data)
        return services.institution_update(
            actor=self.request.user,
            institution=self.object,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
        )

    def get_back_url(self):
        return reverse("teams:institution_list")

    def get_success_url(self, result):
        return reverse("teams:institution_list")
