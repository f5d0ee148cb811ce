"""Navigation by role, and each role's start page.

Apps register their menu entries and start pages in `AppConfig.ready()`, so the base template never
needs editing when an app is added:

    navigation.register(key="incidents", label=_("Kejadian"), url_name="incidents:list",
                        roles=READ_ROLES, order=30)
    navigation.register_start_page(Role.LEADERSHIP, "dashboard:home", priority=10)
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset
    order: int = 50


_items: dict[str, NavItem] = {}
_start_pages: dict[str, tuple[int, str]] = {}


def register(*, key, label, url_name, roles, order=50):
    _items[key] = NavItem(key=key, label=label, url_name=url_name, roles=frozenset(roles), order=order)


def register_start_page(role, url_name, *, priority=0):
    """The highest priority wins when several apps offer a start page for the same role."""
    current = _start_pages.get(role)
    if current is None or priority > current[0]:
        _start_pages[role] = (priority, url_name)


def items_for(role):
    result = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        if role in item.roles:
            try:
                result.append({"key": item.key, "label": item.label, "url": reverse(item.url_name)})
            except NoReverseMatch:
                continue
    return result


def start_url_for(role):
    entry = _start_pages.get(role)
    if entry is None:
        return None
    try:
        return reverse(entry[1])
    except NoReverseMatch:
        return None
