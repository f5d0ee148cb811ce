"""Members of the teams' decrees: the list across the user's scope, adding, editing and removing one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from konflik.permissions import READ_ROLES, WRITE_ROLES, RoleRequiredMixin
from konflik.web import editable_copy, paginate, require

from .. import selectors, services
from ..filters import MemberFilter
from ..forms import MemberForm
from ..models import Member
from .teams import TeamFormView, TeamsFormView


def scoped_member(request, pk):
    return get_object_or_404(Member.objects.visible_to(request.user).select_related("team"), pk=pk)


class MemberListView(RoleRequiredMixin, View):
    roles = READ_ROLES

    def get(self, request):
        filterset = MemberFilter(request.GET or None, queryset=selectors.member_list(user=request.user))
        return render(
            request,
            "teams/member_list.html",
            {"filter": filterset, "page_obj": paginate(request, filterset.qs)},
        )


class MemberCreateView(TeamFormView):
    form_class = MemberForm
    service = services.member_create
    success_message = gettext_lazy("Anggota disimpan.")

    def get_form_kwargs(self):
        return {"team": self.object}

    def get_title(self):
        return _("Anggota baru: %(team)s") % {"team": self.object}


class MemberUpdateView(TeamsFormView):
    form_class = MemberForm
    service = services.member_update
    success_message = gettext_lazy("Anggota disimpan.")

    def get_object(self):
        return scoped_member(self.request, self.kwargs["pk"])

    def check_permission(self, member):
        require(selectors.can_manage_team(self.request.user, member.team))

    def get_form_kwargs(self):
        return {"instance": editable_copy(self.object), "team": self.object.team}

    def get_service_kwargs(self, form):
        return {"member": self.object, **form.cleaned_data}

    def get_title(self):
        return _("Ubah anggota %(m)s") % {"m": self.object.name}

    def get_back_url(self):
        return self.object.team.get_absolute_url()

    def get_success_url(self, result):
        return self.object.team.get_absolute_url()


class MemberDeleteView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def post(self, request, pk):
        member = scoped_member(request, pk)
        require(selectors.can_manage_team(request.user, member.team))
        try:
            services.member_delete(actor=request.user, member=member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Anggota dihapus."))
        return redirect(member.team)
