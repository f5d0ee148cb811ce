"""The shared web layer every app's pages use: how a page binds a form, calls one service and shows the
service's errors on the form, and how a list is paged.

Reads stay in the apps' selectors (`visible_to(user)`), writes in their services; a view keeps only
what differs: its form, its service, the object it acts on and where to go after.
"""

import copy

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from .permissions import WRITE_ROLES, RoleRequiredMixin

PAGE_SIZE = 50


def apply_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: a field the form shows gets its own errors, the rest
    (non-field errors, fields the form does not show) go to the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for error in errors:
                form.add_error(target, error.messages)
    else:
        form.add_error(None, exc.messages)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The page of `queryset` the request asks for (`?page=`); a page out of range gives the last."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def editable_copy(instance):
    """A copy of a model instance for a ModelForm to bind to.

    `ModelForm.is_valid()` writes the submitted values onto its instance. The service must still see
    the stored values (it audits before/after and compares, say, the old region), so the form gets a
    copy and the service the object as it was read. `Model.__getstate__` copies the instance's state
    and relation cache, so the two do not share them.
    """
    return copy.copy(instance)


class ServiceFormView(RoleRequiredMixin, View):
    """A page that binds one form and calls one service: GET shows the form, POST validates it and
    calls the service; the service's ValidationError lands on the form, which is shown again with
    everything the user typed. On success: a message and a redirect.

    A subclass sets `form_class` and `service` (or overrides `perform`), and where the form acts on an
    object, `get_object` (a scoped read: outside the scope it raises 404) and `check_permission` (in
    scope but not allowed: 403). `template_name` defaults to the generic form page.
    """

    roles = WRITE_ROLES
    form_class = None
    service = None
    template_name = "konflik/form.html"
    title = ""
    submit_label = _("Simpan")
    success_message = _("Tersimpan.")
    multipart = False

    # --- what a subclass may override ---------------------------------------------------------------

    def get_object(self):
        """The object the form acts on, read through `visible_to(user)`; None for a create."""
        return None

    def check_permission(self, obj) -> None:
        """Raise PermissionDenied when the user sees `obj` but may not do this to it."""

    def get_form_kwargs(self) -> dict:
        return {}

    def get_service_kwargs(self, form) -> dict:
        """What the service is called with besides `actor`: the form's cleaned data by default."""
        return dict(form.cleaned_data)

    def perform(self, form):
        """Call the service; its return value is passed to `get_success_url`."""
        service = type(self).service  # a plain function on the class: no `self` bound to it
        return service(actor=self.request.user, **self.get_service_kwargs(form))

    def get_success_url(self, result):
        target = result if result is not None else self.object
        return target.get_absolute_url()

    def get_back_url(self):
        return self.object.get_absolute_url() if self.object is not None else ""

    def get_title(self):
        return self.title

    def get_success_message(self, result):
        return self.success_message

    def get_context_data(self, **kwargs):
        context = {
            "object": self.object,
            "title": self.get_title(),
            "back": self.get_back_url(),
            "submit": self.submit_label,
            "multipart": self.multipart,
        }
        context.update(kwargs)
        return context

    # --- the flow ------------------------------------------------------------------------------------

    def make_form(self, data=None, files=None):
        return self.form_class(data, files, **self.get_form_kwargs())

    def render_form(self, form):
        return render(self.request, self.template_name, self.get_context_data(form=form))

    def _prepare(self):
        self.object = self.get_object()
        self.check_permission(self.object)

    def get(self, request, *args, **kwargs):
        self._prepare()
        return self.render_form(self.make_form())

    def post(self, request, *args, **kwargs):
        self._prepare()
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = self.perform(form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                message = self.get_success_message(result)
                if message:
                    messages.success(request, message)
                return redirect(self.get_success_url(result))
        return self.render_form(form)


def require(allowed: bool) -> None:
    """In scope but not allowed: 403 (the object exists for the user, the action does not)."""
    if not allowed:
        raise PermissionDenied
