"""Follow-ups (tindak lanjut) of meetings: the list, creating one from a meeting, and its page, where
the team's secretariat edits it and its owner may mark it done."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from konflik.permissions import ALL_ROLES, RoleRequiredMixin
from konflik.web import ServiceFormView, editable_copy, paginate, require

from .. import selectors, services
from ..filters import FollowUpFilter
from ..forms import FollowUpForm
from .meetings import MeetingFormView


class FollowUpListView(RoleRequiredMixin, View):
    roles = ALL_ROLES

    def get(self, request):
        filterset = FollowUpFilter(request.GET or None, queryset=selectors.followup_list(user=request.user))
        return render(
            request,
            "teams/followup_list.html",
            {"filter": filterset, "page_obj": paginate(request, filterset.qs), "today": timezone.localdate()},
        )


class FollowUpCreateView(MeetingFormView):
    form_class = FollowUpForm
    service = services.followup_create
    success_message = gettext_lazy("Tindak lanjut disimpan.")

    def get_form_kwargs(self):
        return {"meeting": self.object, "user": self.request.user}

    def get_service_kwargs(self, form):
        return {"meeting": self.object, **form.cleaned_data}

    def get_title(self):
        return _("Tindak lanjut dari %(m)s") % {"m": self.object.title}


class FollowUpDetailView(ServiceFormView):
    """Everyone in scope reads it; the form is for the team's secretariat; a POST with `status` alone
    may also come from the item's owner, of any role."""

    roles = ALL_ROLES
    write_roles = ALL_ROLES  # the owner (of any role) may mark their item done; `check_permission` the rest
    form_class = FollowUpForm
    service = services.followup_update
    template_name = "teams/followup_detail.html"
    success_message = gettext_lazy("Tindak lanjut disimpan.")

    def get_object(self):
        return get_object_or_404(selectors.followup_list(user=self.request.user), pk=self.kwargs["pk"])

    def check_permission(self, item):
        user = self.request.user
        self.can_manage = selectors.can_manage_team(user, item.meeting.team)
        if self.request.method != "POST":
            return
        if "status" in self.request.POST and selectors.owns_follow_up(user, item):
            return
        require(user.can_write)
        require(self.can_manage)

    def get_form_kwargs(self):
        return {
            "instance": editable_copy(self.object),
            "meeting": self.object.meeting,
            "user": self.request.user,
        }

    def get_service_kwargs(self, form):
        return {"follow_up": self.object, **form.cleaned_data}

    def get_success_url(self, result):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        return {
            "item": self.object,
            "form": None,
            "can_manage": self.can_manage,
            "can_set_status": self.can_manage or selectors.owns_follow_up(self.request.user, self.object),
            "today": timezone.localdate(),
            **kwargs,
        }

    def get(self, request, *args, **kwargs):
        self._prepare()
        return self.render_form(self.make_form() if self.can_manage else None)

    def post(self, request, *args, **kwargs):
        if "status" not in request.POST:
            return super().post(request, *args, **kwargs)
        self._prepare()
        try:
            services.followup_update(actor=request.user, follow_up=self.object, status=request.POST["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.object)
