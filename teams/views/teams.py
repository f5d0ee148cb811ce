"""Teams, their decrees (SK) and the member import: pages of one team, read through `visible_to`."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from konflik.permissions import READ_ROLES, RoleRequiredMixin
from konflik.throttling import per_minute_limit_reached
from konflik.web import ServiceFormView, editable_copy, paginate, require

from .. import importer, selectors, services
from ..filters import TeamFilter
from ..forms import DecreeForm, MemberImportForm, TeamCreateForm, TeamForm
from ..models import Team


def scoped_team(request, pk):
    return get_object_or_404(
        Team.objects.visible_to(request.user).select_related("region", "current_decree"), pk=pk
    )


class TeamsFormView(ServiceFormView):
    """The shared form page, with the teams stylesheet."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(base_template="teams/base.html", **kwargs)


class TeamFormView(TeamsFormView):
    """A form on one team (`pk` in the URL) for a secretariat managing it; back to the team after."""

    def get_object(self):
        return scoped_team(self.request, self.kwargs["pk"])

    def check_permission(self, team):
        require(selectors.can_manage_team(self.request.user, team))

    def get_service_kwargs(self, form):
        return {"team": self.object, **form.cleaned_data}

    def get_success_url(self, result):
        return self.object.get_absolute_url()


class TeamListView(RoleRequiredMixin, View):
    roles = READ_ROLES

    def get(self, request):
        filterset = TeamFilter(request.GET or None, queryset=selectors.team_list(user=request.user))
        return render(
            request,
            "teams/team_list.html",
            {
                "filter": filterset,
                "page_obj": paginate(request, filterset.qs),
                "can_create": request.user.can_write,
            },
        )


class TeamCreateView(TeamsFormView):
    form_class = TeamCreateForm
    service = services.team_create
    title = gettext_lazy("Tim Terpadu baru")
    success_message = gettext_lazy("Tim disimpan.")

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_back_url(self):
        return reverse("teams:team_list")


class TeamDetailView(RoleRequiredMixin, View):
    roles = READ_ROLES

    def get(self, request, pk):
        team = scoped_team(request, pk)
        decree_id = request.GET.get("sk")
        decrees = selectors.team_decrees(user=request.user, team=team)
        decree = decrees.filter(pk=decree_id).first() if decree_id and decree_id.isdigit() else None
        members = selectors.visible_team_members(user=request.user, team=team, decree=decree)
        return render(
            request,
            "teams/team_detail.html",
            {
                "team": team,
                "members": members,
                "decrees": decrees,
                "shown_decree": decree or team.current_decree,
                "can_manage": selectors.can_manage_team(request.user, team),
            },
        )


class TeamUpdateView(TeamFormView):
    form_class = TeamForm
    service = services.team_update
    success_message = gettext_lazy("Tim disimpan.")

    def get_form_kwargs(self):
        return {"instance": editable_copy(self.object)}

    def get_title(self):
        return _("Ubah %(team)s") % {"team": self.object}


class DecreeCreateView(TeamFormView):
    form_class = DecreeForm
    service = services.decree_start
    success_message = gettext_lazy("SK baru disimpan; daftar anggota baru dimulai.")

    def get_title(self):
        return _("SK baru untuk %(team)s") % {"team": self.object}


class MemberImportView(TeamFormView):
    """Upload a sheet: parsed whole, imported all or nothing; the rows in error are listed."""

    form_class = MemberImportForm
    template_name = "teams/member_import.html"

    def get_context_data(self, **kwargs):
        return {"team": self.object, "errors": None, **kwargs}

    def render_errors(self, form, errors):
        return render(self.request, self.template_name, self.get_context_data(form=form, errors=errors))

    def post(self, request, *args, **kwargs):
        self._prepare()
        form = self.make_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form)
        if per_minute_limit_reached(request.user, "teams-import", settings.KONFLIK_TEAMS_IMPORT_PER_MINUTE):
            return HttpResponse(_("Terlalu banyak permintaan impor; coba lagi sebentar."), status=429)
        result = importer.parse_members(form.cleaned_data["sheet"])
        if not result.ok:
            return self.render_errors(form, result.errors)
        try:
            created = services.members_import(actor=request.user, team=self.object, rows=result.rows)
        except ValidationError as exc:
            return self.render_errors(form, [(0, exc.messages)])
        messages.success(request, _("%(n)s anggota diimpor.") % {"n": len(created)})
        return redirect(self.object)
