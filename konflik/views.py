import re

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import DetailView, ListView

from . import navigation, selectors
from .forms import LoginForm
from .models import Region
from .permissions import RoleRequiredMixin, ScopedQuerysetMixin, role_of

REGION_CODE = re.compile(r"[0-9.]{1,13}")  # as /wilayah/<code>/ and the API's lookup


class SignInView(auth_views.LoginView):
    """`/masuk/`: malformed input (an over-long username, say) is a 400 with the field's message,
    refused before a password is checked; wrong credentials stay the form again (200) or, after too
    many, the lockout (429)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(form.errors.get(name) for name in form.fields):
            response.status_code = 400
        return response


@login_required
def home(request):
    """Take each role to its start page (registered by the apps), else the workspace."""
    url = navigation.start_url_for(role_of(request.user))
    return redirect(url or "workspace")


@login_required
def workspace(request):
    return render(request, "konflik/workspace.html", {"region": request.user.region})


class RegionListView(RoleRequiredMixin, ScopedQuerysetMixin, ListView):
    """The region browser: the top of the user's scope, or the children of `?parent=`."""

    model = Region
    template_name = "konflik/region_list.html"
    paginate_by = 100

    def parent_code(self):
        """`?parent=`: a region code, or 404 (never a database error for what the client typed)."""
        code = self.request.GET.get("parent") or None
        if code is not None and not REGION_CODE.fullmatch(code):
            raise Http404
        return code

    def get_queryset(self):
        return selectors.region_children(user=self.request.user, parent_code=self.parent_code())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        parent_code = self.parent_code()
        ctx["parent"] = (
            get_object_or_404(Region.objects.visible_to(self.request.user), code=parent_code)
            if parent_code
            else None
        )
        ctx["breadcrumbs"] = selectors.region_breadcrumbs(user=self.request.user, region=ctx["parent"])
        return ctx


class RegionDetailView(RoleRequiredMixin, ScopedQuerysetMixin, DetailView):
    model = Region
    template_name = "konflik/region_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["children"] = selectors.region_children(user=self.request.user, parent_code=self.object.code)
        ctx["breadcrumbs"] = selectors.region_breadcrumbs(user=self.request.user, region=self.object)
        return ctx
