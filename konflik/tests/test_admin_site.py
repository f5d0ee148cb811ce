"""The Django admin is a read-only window: a change made there would bypass the services and leave no
audit event, so every add, change and delete through `/admin/` is refused."""

from functools import partial

import pytest
from django import forms
from django.contrib import admin
from django.forms.widgets import MultiWidget
from django.test import RequestFactory

from actionplans.tests import factories as plan_factories
from konflik.models import AuditEvent, User
from teams.tests.factories import MeetingFactory, MemberFactory, TeamFactory

pytestmark = pytest.mark.django_db


def change_form_data(obj, admin_user):
    """What the admin's change form of `obj` would post, field by field, with the admin's widgets."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = forms.modelform_factory(
        type(obj),
        fields="__all__",
        formfield_callback=partial(model_admin.formfield_for_dbfield, request=request),
    )
    form = form_class(instance=obj)
    data = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):  # the admin's split date and time
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    return data


def _objects(admin_user, sec_a):
    plan = plan_factories.plan(sec_a, "61.71")
    return {
        "user": (sec_a, "role", "leadership"),
        "team": (TeamFactory(region_id="61.71"), "name", "Diubah lewat admin"),
        "member": (MemberFactory(), "name", "Diubah lewat admin"),
        "meeting": (MeetingFactory(), "title", "Diubah lewat admin"),
        "activity": (plan_factories.activity(sec_a, plan), "title", "Diubah lewat admin"),
    }


@pytest.mark.parametrize("kind", ["user", "team", "member", "meeting", "activity"])
def test_admin_change_form_post_is_refused_and_changes_nothing(kind, admin_user, sec_a, web):
    obj, field, new_value = _objects(admin_user, sec_a)[kind]
    meta = obj._meta
    data = change_form_data(obj, admin_user)
    data[field] = new_value
    data["_save"] = "Simpan"
    events = AuditEvent.objects.count()
    before = type(obj).objects.values().get(pk=obj.pk)

    response = web(admin_user).post(f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/", data)

    assert response.status_code == 403
    assert type(obj).objects.values().get(pk=obj.pk) == before
    assert AuditEvent.objects.count() == events


def test_admin_add_and_delete_are_refused(admin_user, sec_a, web):
    browser = web(admin_user)
    response = browser.post(
        "/admin/konflik/user/add/",
        {"username": "lewat-admin", "password1": "kata-sandi-baru-2026", "password2": "kata-sandi-baru-2026"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="lewat-admin").exists()
    response = browser.post(f"/admin/konflik/user/{sec_a.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=sec_a.pk).exists()


def test_every_registered_admin_is_read_only(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    writable = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_add_permission(request)
        or model_admin.has_change_permission(request)
        or model_admin.has_delete_permission(request)
    ]
    assert writable == []


def test_admin_never_shows_secrets(admin_user, sec_a, web):
    """Read-only must not mean readable: no password hash, TOTP key or API token in the admin."""
    from django.contrib.auth import get_user_model

    registered = {model._meta.label for model in admin.site._registry}
    assert "otp_totp.TOTPDevice" not in registered
    assert "authtoken.TokenProxy" not in registered and "authtoken.Token" not in registered
    page = web(admin_user).get(f"/admin/konflik/user/{sec_a.pk}/change/")
    assert page.status_code == 200
    password_hash = get_user_model().objects.get(pk=sec_a.pk).password
    assert password_hash.split("$")[-1] not in page.content.decode()
