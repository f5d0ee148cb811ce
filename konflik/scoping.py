"""The one choke point for reads: `Model.objects.visible_to(user)`.

Every region-owned model uses `ScopedQuerySet` (through `ScopedManager`) and names the path from
itself to its region in the class attribute `scope_field` (e.g. `"region"`, `"team__region"`).
Regions are keyed by their Kemendagri code, so a user's scope is a prefix match on the code:
the user's region and everything below it (`61.71` sees `61.71`, `61.71.01`, `61.71.01.1002`).

- inactive or anonymous users see nothing;
- `admin` sees everything;
- `member` sees nothing unless the model says otherwise (`visible_to_member`);
- every other role sees its scope.

Deny by default: a user without a region sees nothing.

Related rows go through the same door: a prefetch that reaches a page or an API answer is a
`scoped_prefetch(lookup, user)`, whose rows are the related model's `visible_to(user)`. A row nested
in a detail page is shown exactly when its own page would be (`visible_to` holds it), so an invited
regency reading a province meeting does not see another regency's invitees or follow-up items.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.constants import LOOKUP_SEP


def scope_q(field_path: str, region_code: str) -> Q:
    """Rows whose region (at `field_path`) is `region_code` or lies below it."""
    prefix = f"{field_path}__" if field_path else ""
    return Q(**{f"{prefix}code": region_code}) | Q(**{f"{prefix}code__startswith": region_code + "."})


def regency_scope_q(field_path: str, region_code: str) -> Q:
    """`scope_q` for a field that always holds a regency/city code (two parts, `61.71`).

    Same rows, cheaper condition: a province scope is only the prefix (`61.`), which an index with
    `varchar_pattern_ops` serves as a range (and a count as an index-only scan); a regency scope
    is only the equality. Deeper scopes keep the general condition (they match nothing).
    """
    prefix = f"{field_path}__" if field_path else ""
    depth = region_code.count(".")
    if depth == 0:
        return Q(**{f"{prefix}code__startswith": region_code + "."})
    if depth == 1:
        return Q(**{f"{prefix}code": region_code})
    return scope_q(field_path, region_code)


def code_in_scope(code: str | None, scope_code: str | None) -> bool:
    """Pure-Python twin of `scope_q` for checks on a single value."""
    if not code or not scope_code:
        return False
    return code == scope_code or code.startswith(scope_code + ".")


def user_can_see_region(user, region_code: str | None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_admin_role:
        return True
    return code_in_scope(region_code, user.region_id)


class ScopedPrefetch(Prefetch):
    """A `Prefetch` of one relation whose rows are only those the user may see.

    Built by `scoped_prefetch`. Without a queryset the related model is resolved from the lookup when
    the prefetch is handed to a `ScopedQuerySet.prefetch_related` (which knows the model it starts
    from); with one, that queryset is narrowed by `visible_to(user)` at once.
    """

    def __init__(self, lookup, user, queryset=None, to_attr=None):
        if LOOKUP_SEP in lookup:
            # Django would prefetch the levels before the last one unscoped: nest them instead,
            # `scoped_prefetch("a", user, queryset=A.objects.prefetch_related(scoped_prefetch("b", user)))`.
            raise ValueError(
                f"scoped_prefetch takes one relation, not {lookup!r}: nest them through queryset="
            )
        self.user = user
        if queryset is not None:
            if not hasattr(queryset, "visible_to"):
                raise ImproperlyConfigured(
                    f"{queryset.model.__name__} has no visible_to(): it cannot be scoped"
                )
            queryset = queryset.visible_to(user)
        super().__init__(lookup, queryset=queryset, to_attr=to_attr)

    def resolved_for(self, model):
        """This prefetch with the related model's `visible_to(user)` as its queryset."""
        if self.queryset is not None:
            return self
        related = model._meta.get_field(self.prefetch_through).related_model
        return ScopedPrefetch(
            self.prefetch_through, self.user, queryset=related._default_manager.all(), to_attr=self.to_attr
        )

    def get_current_querysets(self, level):
        if self.queryset is None:
            # Never fall back to Django's unscoped default.
            raise ImproperlyConfigured(
                f"scoped_prefetch({self.prefetch_through!r}) without a queryset needs a ScopedQuerySet "
                "to start from (or give queryset=)"
            )
        return super().get_current_querysets(level)


def scoped_prefetch(lookup, user, queryset=None, *, to_attr=None):
    """`Prefetch(lookup, queryset)` limited to the related rows `visible_to(user)`.

    `lookup` is one relation (`"invitations"`, `"related_institutions"`); `queryset` (of the related
    model) adds ordering, joins or nested scoped prefetches. The one way a page or an API answer
    loads related rows: a nested row is shown exactly when its own page would be.
    """
    return ScopedPrefetch(lookup, user, queryset=queryset, to_attr=to_attr)


def scope_region_code(obj) -> str | None:
    """The code of the region that scopes `obj`: its model's `scope_field` followed through the
    instance's relations, so the one declaration serves the query (`visible_to`) and the single object
    (audit events, reminders, write checks).

    `"meeting__team__region"` gives `obj.meeting.team.region_id`: the last step reads the foreign key
    column, so it never loads the region, and the hops before it come from the relation cache when
    the object was read with `select_related` (otherwise one query per hop not yet loaded, as any
    attribute access would). `scope_field = ""` marks a region itself; a model without `scope_field`
    falls back to its `region_id`. A relation that is not set gives None.
    """
    path = getattr(type(obj), "scope_field", None)
    if path is None:
        return getattr(obj, "region_id", None)
    if path == "":
        return obj.pk
    *hops, last = path.split("__")
    for name in hops:
        if getattr(obj, obj._meta.get_field(name).attname) is None:
            return None
        obj = getattr(obj, name)
    return getattr(obj, obj._meta.get_field(last).attname)


class ScopedQuerySet(models.QuerySet):
    def prefetch_related(self, *lookups):
        lookups = [
            lookup.resolved_for(self.model) if isinstance(lookup, ScopedPrefetch) else lookup
            for lookup in lookups
        ]
        return super().prefetch_related(*lookups)

    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_admin_role:
            return self.all()
        if user.role == user.Role.MEMBER:
            return self.visible_to_member(user)
        if not user.region_id:
            return self.none()
        return self.filter(self.scope_condition(user.region_id))

    def scope_condition(self, region_code: str) -> Q:
        """A model whose scope field always holds a regency/city code says so with
        `scope_holds_regency = True` and gets the cheaper, equivalent condition."""
        if getattr(self.model, "scope_holds_regency", False):
            return regency_scope_q(self.model.scope_field, region_code)
        return scope_q(self.model.scope_field, region_code)

    def visible_to_member(self, user):
        """Team members see only what a model explicitly opens to them."""
        return self.none()


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass
