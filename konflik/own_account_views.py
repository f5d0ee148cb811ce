"""The signed-in user's own account: password change (audited, API tokens revoked) and API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from .models import ApiToken
from .permissions import ALL_ROLES, RoleRequiredMixin
from .services import api_token_revoke, user_password_change


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, with the change made by the service: audited, in the security log, and every
    API token of the user revoked. This session stays signed in."""

    def form_valid(self, form):
        user_password_change(
            user=form.user, password=form.cleaned_data["new_password1"], actor=self.request.user
        )
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())


class ApiTokenListView(RoleRequiredMixin, ListView):
    """The user's API tokens (names, dates; never the keys), each with a revoke button."""

    template_name = "konflik/api_token_list.html"
    paginate_by = 50

    def get_queryset(self):
        return ApiToken.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(days=settings.KONFLIK_API_TOKEN_DAYS, now=timezone.now(), **kwargs)


class ApiTokenRevokeView(RoleRequiredMixin, View):
    write_roles = ALL_ROLES  # revoking one's own token is open to every role

    def post(self, request, pk):
        token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
        api_token_revoke(token=token, actor=request.user, reason="owner")
        messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
        return redirect("api_tokens")
