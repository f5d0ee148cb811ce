"""Early-warning signals fire once per cause and reach the province secretariat and leadership;
review and expiry reminders are planned and re-planned."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from conftest import REGION_A, REGION_B
from incidents import early_warning, services
from incidents.tests.test_services import skk_data
from konflik import reminders
from konflik.models import Notification, Reminder


def signals(rule=None):
    qs = Reminder.objects.filter(kind=early_warning.SIGNAL)
    return qs.filter(payload__rule=rule) if rule else qs


@pytest.mark.django_db
def test_deaths_signal_fires_once_even_after_return_and_resubmit(sec_a, province_sec, make_incident):
    incident = make_incident(sec_a, deaths=2)
    assert signals().count() == 0  # a draft raises nothing
    services.incident_submit(incident=incident, actor=sec_a)
    services.incident_return(incident=incident, actor=province_sec, note="Periksa korban.")
    services.incident_submit(incident=incident, actor=sec_a)
    assert signals("deaths").count() == 1


@pytest.mark.django_db
def test_no_deaths_no_signal(sec_a, make_incident):
    services.incident_submit(incident=make_incident(sec_a, deaths=0), actor=sec_a)
    assert signals("deaths").count() == 0


@pytest.mark.django_db
def test_the_alert_reaches_province_secretariat_and_leadership_only(
    sec_a, sec_b, province_sec, leadership, leadership_a, member_a, make_incident
):
    incident = services.incident_submit(incident=make_incident(sec_a, deaths=1), actor=sec_a)
    reminder = signals("deaths").get()
    reminders.deliver(reminder.pk)
    reminders.deliver(reminder.pk)  # a second run delivers nothing more
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert users == {"sekprov", "pimpinan", "pimpinan-a"}
    assert Notification.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "pimpinan-a@example.test",
        "pimpinan@example.test",
        "sekprov@example.test",
    ]
    assert incident.number in mail.outbox[0].subject


@pytest.mark.django_db
def test_cluster_signal_once_per_cluster(sec_a, sec_b, settings, make_incident):
    settings.KONFLIK_INCIDENT_SIGNAL_CLUSTER_COUNT = 3
    today = timezone.localdate()
    for days_ago in (20, 10):
        services.incident_submit(
            incident=make_incident(sec_a, occurred_on=today - datetime.timedelta(days=days_ago)), actor=sec_a
        )
    make_incident(sec_a, occurred_on=today)  # a draft does not count
    assert signals("cluster").count() == 0
    services.incident_submit(
        incident=make_incident(sec_a, occurred_on=today - datetime.timedelta(days=1)), actor=sec_a
    )
    assert signals("cluster").count() == 1
    services.incident_submit(incident=make_incident(sec_a, occurred_on=today), actor=sec_a)
    assert signals("cluster").count() == 1  # the same cluster
    for _ in range(2):
        services.incident_submit(
            incident=make_incident(sec_b, region=REGION_B, occurred_on=today), actor=sec_b
        )
    assert signals("cluster").count() == 1  # two in B are below the threshold


@pytest.mark.django_db
def test_reports_more_than_the_window_apart_are_no_cluster(sec_a, make_incident):
    today = timezone.localdate()
    for days_ago in (70, 35, 0):
        services.incident_submit(
            incident=make_incident(sec_a, occurred_on=today - datetime.timedelta(days=days_ago)), actor=sec_a
        )
    assert signals("cluster").count() == 0


def potential(actor, **overrides):
    data = {
        "title": "Konflik lahan adat",
        "source_of_conflict": "natural_resource_dispute",
        "description": "d",
    }
    data.update({"likelihood": 4, "impact": 4, **overrides})
    return services.potential_create(actor=actor, region=REGION_A, data=data)


@pytest.mark.django_db
def test_very_high_risk_signal_once(sec_a):
    record = potential(sec_a)
    services.potential_edit(potential=record, actor=sec_a, data={"indicators": "Pengerahan massa."})
    services.potential_edit(potential=record, actor=sec_a, data={"likelihood": 1})
    services.potential_edit(potential=record, actor=sec_a, data={"likelihood": 4})
    assert signals("very_high").count() == 1
    potential(sec_a, likelihood=2, impact=2)
    assert signals("very_high").count() == 1


@pytest.mark.django_db
def test_review_reminder_follows_the_review_date(sec_a):
    day = timezone.localdate() + datetime.timedelta(days=14)
    record = potential(sec_a, likelihood=1, impact=1, next_review_on=day)
    pending = Reminder.objects.filter(kind=early_warning.POTENTIAL_REVIEW, status="pending")
    assert [timezone.localtime(r.due_at).date() for r in pending] == [day]
    later = day + datetime.timedelta(days=7)
    services.potential_edit(potential=record, actor=sec_a, data={"next_review_on": later})
    assert [timezone.localtime(r.due_at).date() for r in pending.all()] == [later]
    services.potential_edit(potential=record, actor=sec_a, data={"status": "closed"})
    assert pending.all().count() == 0


@pytest.mark.django_db
def test_expiry_reminder_is_planned_moved_by_extension_and_cancelled_by_revocation(sec_a, settings):
    settings.KONFLIK_INCIDENT_SKK_REMIND_DAYS_BEFORE = 7
    status = services.status_create(actor=sec_a, scale="regency", region=REGION_A, data=skk_data())
    pending = Reminder.objects.filter(kind=early_warning.STATUS_EXPIRY, status="pending")
    assert [timezone.localtime(r.due_at).date() for r in pending] == [
        status.end_date - datetime.timedelta(days=7)
    ]
    services.status_extend(
        status=status, actor=sec_a, decree_number="188.45/40", decree_date=timezone.localdate()
    )
    status.refresh_from_db()
    assert [timezone.localtime(r.due_at).date() for r in pending.all()] == [
        status.end_date - datetime.timedelta(days=7)
    ]
    services.status_revoke(status=status, actor=sec_a, revoked_on=timezone.localdate())
    assert pending.all().count() == 0
