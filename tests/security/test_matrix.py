"""The permission matrix (matrix.py) played cell by cell, and the meta-test that keeps it complete.

One set of objects in regency A, regency B and the province is built once per test; every cell runs in
a savepoint that is rolled back, so a refused or allowed write never changes what the next cell sees.
"""

import pytest
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from konflik.services import api_token_issue
from teams.models import CalendarToken, Position

from .matrix import ROLES, ROUTES
from .world import build_world

pytestmark = pytest.mark.django_db

KWARGS = {
    "region": lambda o, w: {"code": o.region},
    "minutes": lambda o, w: {"meeting_pk": o.minutes.meeting_id, "pk": o.minutes.pk},
    "activity_period": lambda o, w: {"pk": o.activity.pk, "period": "B08"},
    "feed": lambda o, w: {"token": w["feeds"][o.region]},
    "position": lambda o, w: {"pk": w["position"]},
    "plan_pk": lambda o, w: {"plan_pk": o.plan.pk},
    "period_report": lambda o, w: {"pk": o.extra["period_report"].pk},
    "period_report_pdf": lambda o, w: {"pk": o.extra["period_report"].pk, "fmt": "pdf"},
    "account": lambda o, w: {"pk": w["accounts"][o.region]},
    "api_token": lambda o, w: {"pk": w["api_tokens"][o.region]},
}
HTML_METHODS = {"get", "post"}


def kwargs_for(kind, objects, world):
    if kind in KWARGS:
        return KWARGS[kind](objects, world)
    return {"pk": getattr(objects, kind).pk}


@pytest.fixture
def cast(sec_a, sec_b, province_sec, leadership, leadership_a, member_a, inactive, admin_user):
    return {
        "anon": None,
        "sec_a": sec_a,
        "sec_b": sec_b,
        "prov": province_sec,
        "lead": leadership,
        "lead_a": leadership_a,
        "member": member_a,
        "inactive": inactive,
        "admin": admin_user,
    }


def clients_for(cast):
    """(browser, API client) per role; the inactive user's API client carries its (refused) token."""
    from conftest import api_key_for

    clients = {}
    for role, user in cast.items():
        browser, api = Client(), APIClient()
        if user is not None:
            browser.force_login(user)
            if user.is_active:
                api.force_authenticate(user)
            else:
                api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
        restore_session(browser)
        clients[role] = (browser, api)
    return clients


def restore_session(browser):
    """A cell that signs out (or rotates the session) must not sign the role out of the next cells;
    the session row itself came back with the savepoint."""
    key = getattr(browser, "_matrix_session", None)
    if key is None:
        browser._matrix_session = key = browser.cookies.get(settings.SESSION_COOKIE_NAME)
    if key is not None:
        browser.cookies[settings.SESSION_COOKIE_NAME] = key.value


def admin_urls():
    urls = [reverse("admin:index")]
    for model in admin_site._registry:
        urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    return urls


def answer(response, is_api):
    """The matrix's word for a response."""
    code = response.status_code
    if code in (401,) or (
        not is_api and code == 302 and response["Location"].split("?")[0] in ("/masuk/", "/admin/login/")
    ):
        return "login"
    if code in (403, 404, 405, 429) or code >= 500:
        return str(code)
    return "ok"  # 2xx, other 3xx, 400 and 409 (validation or state): past the access checks


def expected_matches(expected, actual, role, is_api):
    if expected == "login" and is_api and role in ("anon", "inactive"):
        return actual in ("login", "403")  # DRF answers an anonymous caller 403 under session auth
    return expected == actual


def call(client, method, url, is_api):
    if is_api:
        return client.generic(method, url, data="{}", content_type="application/json")
    return client.generic(
        method, url, data="" if method == "GET" else "x=1", content_type="application/x-www-form-urlencoded"
    )


def play(cast, rows):
    world_objects = build_world(
        {
            "sec_a": cast["sec_a"],
            "sec_b": cast["sec_b"],
            "province_sec": cast["prov"],
            "member_a": cast["member"],
        }
    )
    feeds = {
        user.region_id: CalendarToken.objects.get_or_create(
            user=user, defaults={"token": f"feed-{user.pk}x" * 2}
        )[0].token
        for user in (cast["sec_a"], cast["sec_b"], cast["prov"])
    }
    accounts = {user.region_id: user.pk for user in (cast["sec_a"], cast["sec_b"], cast["prov"])}
    api_tokens = {
        user.region_id: api_token_issue(user=user, name="matriks", mfa_verified=True)[0].pk
        for user in (cast["sec_a"], cast["sec_b"], cast["prov"])
    }
    world = {
        "feeds": feeds,
        "position": Position.objects.first().pk,
        "accounts": accounts,
        "api_tokens": api_tokens,
    }
    clients = clients_for(cast)
    failures, cells = [], 0
    for name, method, kind, policy in rows:
        for role in ROLES:
            browser, api = clients[role]
            if name == "admin:*":
                targets = [(url, policy[role][0]) for url in admin_urls()]
            elif kind is None:
                targets = [(reverse(name), policy[role][0])]
            else:
                targets = [
                    (reverse(name, kwargs=kwargs_for(kind, world_objects[scope], world)), expected)
                    for scope, expected in zip("ABP", policy[role], strict=True)
                    if expected != "-"
                ]
            for url, expected in targets:
                is_api = url.startswith("/api/")
                with transaction.atomic():
                    cache.clear()  # rate limits count per test, not per cell
                    response = call(api if is_api else browser, method, url, is_api)
                    transaction.set_rollback(True)
                restore_session(browser)
                if getattr(response, "streaming", False):
                    for closer in response._resource_closers:  # not response.close(): that would
                        closer()  # fire request_finished and close the test's database connection
                actual = answer(response, is_api)
                cells += 1
                if not expected_matches(expected, actual, role, is_api):
                    failures.append(
                        f"{method} {url} as {role}: expected {expected}, got {actual} "
                        f"({response.status_code})"
                    )
    return failures, cells


def _rows(prefix_test):
    return [row for row in ROUTES if prefix_test(row[0])]


GROUPS = {
    "konflik": lambda n: (
        ":" not in n
        and "-" not in n
        or n in ("javascript-catalog",)
        or n == "admin:*"
        or n.startswith(("regions:", "notifications:", "users:"))
    ),
    "teams": lambda n: n.startswith("teams:"),
    "actionplans": lambda n: n.startswith("actionplans:"),
    "incidents": lambda n: n.startswith("incidents:"),
    "dashboard": lambda n: n.startswith("dashboard:"),
    "api": lambda n: "-" in n and n != "javascript-catalog",
}


@pytest.mark.parametrize("group", GROUPS)
def test_permission_matrix(group, cast):
    rows = _rows(GROUPS[group])
    assert rows
    failures, cells = play(cast, rows)
    assert not failures, f"{len(failures)} of {cells} cells differ:\n" + "\n".join(failures)


def test_groups_cover_every_row():
    grouped = [row for row in ROUTES if any(test(row[0]) for test in GROUPS.values())]
    assert len(grouped) == len(ROUTES)


# --- The meta-test: every route and method is in the matrix -----------------------------------------


def _walk(resolver, namespace=()):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, namespace + ((pattern.namespace,) if pattern.namespace else ()))
        else:
            yield ":".join((*namespace, pattern.name or f"<unnamed {pattern.pattern}>")), pattern.callback


def routes_and_methods():
    """{route name: set of methods it answers}, from the URL resolver, DRF routers and view classes."""
    found = {}
    for name, callback in _walk(get_resolver()):
        if name.startswith("admin:"):
            found["admin:*"] = {"GET"}
            continue
        actions = getattr(callback, "actions", None)  # a DRF router route, extra actions included
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if actions:
            methods = set(actions) - {"head", "options"}
        elif view_class is not None:
            allowed = {m.lower() for m in getattr(view_class, "http_method_names", ())}
            methods = {m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)}
            methods &= allowed
            if not url_is_api(name):
                methods &= HTML_METHODS
        else:
            methods = {"get"}  # function views: at least GET must be listed (POST as the view takes it)
        found.setdefault(name, set()).update(m.upper() for m in methods)
    return found


def url_is_api(name):
    return "-" in name and name != "javascript-catalog"


def test_every_route_and_method_is_in_the_matrix():
    listed = {}
    for name, method, _kind, _policy in ROUTES:
        listed.setdefault(name, set()).add(method)
    found = routes_and_methods()
    missing_routes = sorted(set(found) - set(listed))
    assert not missing_routes, f"routes missing from tests/security/matrix.py: {missing_routes}"
    missing_methods = {
        name: sorted(found[name] - listed[name]) for name in found if found[name] - listed[name]
    }
    assert not missing_methods, f"methods missing from tests/security/matrix.py: {missing_methods}"
    stale = sorted(set(listed) - set(found))
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


def test_every_role_is_in_every_policy():
    for name, _method, kind, policy in ROUTES:
        assert set(policy) == set(ROLES), name
        width = 1 if kind is None else 3
        assert all(len(cells) == width for cells in policy.values()), name
