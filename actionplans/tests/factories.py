"""Factories of the action plans; every object goes through the services, as in production."""

from decimal import Decimal

from actionplans import services
from actionplans.models import ActionPlan
from teams.models import Institution, Team


def team_for(region_code, name=None):
    team, _ = Team.objects.get_or_create(
        region_id=region_code, defaults={"name": name or f"Tim {region_code}"}
    )
    return team


def institution(region_code, name):
    return Institution.objects.get_or_create(region_id=region_code, name=name)[0]


def plan(actor, region_code, year=2026, **kwargs) -> ActionPlan:
    return services.plan_create(actor=actor, team=team_for(region_code), year=year, **kwargs)


def activity(
    actor,
    plan,
    *,
    title="Dialog kerukunan",
    strategy="prevention",
    sub_type="prevention_peace",
    targets=(10, 10, 10),
    **kwargs,
):
    b04, b08, b12 = (None if t is None else Decimal(t) for t in targets)
    return services.activity_create(
        actor=actor,
        plan=plan,
        strategy=strategy,
        sub_type=sub_type,
        title=title,
        indicator=kwargs.pop("indicator", "Kegiatan terlaksana"),
        unit=kwargs.pop("unit", "kegiatan"),
        target_b04=b04,
        target_b08=b08,
        target_b12=b12,
        **kwargs,
    )
