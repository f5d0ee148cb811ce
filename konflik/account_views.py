"""Account management for administrators (`/pengguna/`): list, create, change role/region/name,
deactivate and reactivate, reset the password or the two-step sign-in. Every write is a service in
konflik.services (audited, logged); anyone but an administrator gets 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import selectors, services
from .filters import UserFilter
from .forms import AccountCreateForm, AccountForm, PasswordResetForm
from .models import User
from .permissions import RoleRequiredMixin
from .web import ServiceFormView, apply_validation_error, paginate

ADMIN_ONLY = frozenset({User.Role.ADMIN})


def apply_errors(form, exc: ValidationError):
    """A service's ValidationError on the form; the service's `password` is the form's `password1`."""
    if hasattr(exc, "error_dict") and "password" in exc.error_dict and "password1" in form.fields:
        errors = dict(exc.error_dict)
        errors["password1"] = errors.get("password1", []) + errors.pop("password")
        exc = ValidationError(errors)
    apply_validation_error(form, exc)


class AdminOnlyMixin(RoleRequiredMixin):
    roles = ADMIN_ONLY
    write_roles = ADMIN_ONLY

    def account(self, pk):
        return get_object_or_404(selectors.user_list(user=self.request.user), pk=pk)


def _password_shown_once(request, account, password, *, created):
    """The generated password, in this response only (never in a message or the session)."""
    return render(
        request,
        "konflik/user_password_shown.html",
        {"account": account, "password": password, "created": created},
    )


class UserListView(AdminOnlyMixin, View):
    def get(self, request):
        filterset = UserFilter(request.GET or None, queryset=selectors.user_list(user=request.user))
        return render(
            request,
            "konflik/user_list.html",
            {
                "filter": filterset,
                "page_obj": paginate(request, filterset.qs),
            },
        )


class UserCreateView(AdminOnlyMixin, View):
    def _render(self, request, form):
        return render(request, "konflik/user_form.html", {"form": form, "title": _("Pengguna baru")})

    def get(self, request):
        return self._render(request, AccountCreateForm())

    def post(self, request):
        form = AccountCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            password, generated = form.chosen_password()
            try:
                account = services.user_create(
                    actor=request.user,
                    username=data["username"],
                    role=data["role"],
                    region=data["region"],
                    password=password,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if generated:
                    return _password_shown_once(request, account, password, created=True)
                messages.success(request, _("Pengguna %(username)s dibuat.") % {"username": account.username})
                return redirect("users:update", pk=account.pk)
        return self._render(request, form)


class UserUpdateView(AdminOnlyMixin, ServiceFormView):
    """The account's page: its details as a form, the account actions, and its history."""

    template_name = "konflik/user_form.html"
    form_class = AccountForm
    success_message = gettext_lazy("Perubahan disimpan.")

    def get_object(self):
        return self.account(self.kwargs["pk"])

    def make_form(self, data=None, files=None):
        if data is not None:
            return AccountForm(data)
        account = self.object
        initial = {
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": account.email,
            "role": account.role,
            "region": account.region_id,
        }
        return AccountForm(initial=initial)

    def perform(self, form):
        data = form.cleaned_data
        services.user_update(
            actor=self.request.user,
            user=self.object,
            role=data["role"],
            region=data["region"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
        )

    def get_back_url(self):
        return reverse("users:update", args=[self.object.pk])

    def get_success_url(self, result):
        return self.get_back_url()

    def get_title(self):
        return _("Pengguna: %(username)s") % {"username": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.object, **kwargs)


class UserPasswordView(AdminOnlyMixin, View):
    def _render(self, request, account, form):
        return render(request, "konflik/user_password.html", {"form": form, "account": account})

    def get(self, request, pk):
        return self._render(request, self.account(pk), PasswordResetForm())

    def post(self, request, pk):
        account = self.account(pk)
        form = PasswordResetForm(request.POST)
        if form.is_valid():
            password, generated = form.chosen_password()
            try:
                services.user_set_password(actor=request.user, user=account, password=password)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if generated:
                    return _password_shown_once(request, account, password, created=False)
                messages.success(
                    request, _("Kata sandi %(username)s diganti.") % {"username": account.username}
                )
                return redirect("users:update", pk=account.pk)
        return self._render(request, account, form)


class _AccountActionView(AdminOnlyMixin, View):
    """A POST-only action on one account; a GET goes back to the account's page."""

    def get(self, request, pk):
        return redirect("users:update", pk=self.account(pk).pk)

    def post(self, request, pk):
        account = self.account(pk)
        try:
            self.act(account)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(self.done_message) % {"username": account.username})
        return redirect("users:update", pk=account.pk)


class UserDeactivateView(_AccountActionView):
    done_message = gettext_lazy("Akun %(username)s dinonaktifkan; semua sesi dan tokennya berakhir.")

    def act(self, account):
        services.user_deactivate(actor=self.request.user, user=account)


class UserReactivateView(_AccountActionView):
    done_message = gettext_lazy("Akun %(username)s diaktifkan kembali.")

    def act(self, account):
        services.user_reactivate(actor=self.request.user, user=account)


class UserMfaResetView(_AccountActionView):
    done_message = gettext_lazy("Verifikasi dua langkah %(username)s diatur ulang.")

    def act(self, account):
        services.user_mfa_reset(user=account, actor=self.request.user)
