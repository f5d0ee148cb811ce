"""Reminder kinds: planned with the plan, delivered to the team's secretariat only while
realisations are missing; the demo seeds every team idempotently."""

import datetime
import io

import pytest
import time_machine
from django.core import mail

from actionplans import reminders as kinds
from actionplans import services
from actionplans.periods import WIB
from conftest import make_user
from konflik import reminders
from konflik.models import Notification, Reminder

from . import factories as f


def test_plan_creation_plans_the_reminders_ahead(sec_a, plan_a):
    rows = Reminder.objects.filter(object_id=str(plan_a.pk)).order_by("due_at")
    # mid-June: B04's closing and overdue reminders are past; B08 and B12 remain
    assert [(r.kind, r.payload["period"], r.due_at) for r in rows] == [
        (kinds.PERIOD_CLOSING, "B08", datetime.datetime(2026, 8, 24, 8, tzinfo=WIB)),
        (kinds.REALISATION_OVERDUE, "B08", datetime.datetime(2026, 9, 11, 8, tzinfo=WIB)),
        (kinds.PERIOD_CLOSING, "B12", datetime.datetime(2026, 12, 24, 8, tzinfo=WIB)),
        (kinds.REALISATION_OVERDUE, "B12", datetime.datetime(2027, 1, 11, 8, tzinfo=WIB)),
    ]
    assert {r.region_id for r in rows} == {"61.71"}
    assert kinds.schedule_for_plan(plan_a) == []  # planning twice is a no-op (dedupe keys)


def test_closing_reminder_reaches_the_regency_secretariat_once(sec_a, sec_b, province_sec, plan_a, mid_year):
    other = make_user("sek-a-2", "regency_secretariat", "61.71")
    done = f.activity(sec_a, plan_a, targets=(1, 1, 1))
    f.activity(sec_a, plan_a, title="Belum", targets=(1, 1, 1))
    r = services.realisation_create(actor=sec_a, activity=done, period="B08", value=1)
    services.realisation_submit(actor=sec_a, realisation=r)
    reminder = Reminder.objects.get(kind=kinds.PERIOD_CLOSING, payload__period="B08")
    assert reminders.deliver(reminder.pk) == 4  # two secretariat users, email and in-app
    assert reminders.deliver(reminder.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([sec_a.email, other.email])
    assert "1 realisasi yang belum dikirim" in mail.outbox[0].body
    assert not Notification.objects.filter(user__in=[sec_b, province_sec]).exists()
    assert Notification.objects.get(user=sec_a).url == "/rencana-aksi/jatuh-tempo/"


def test_nothing_is_sent_when_everything_was_reported(sec_a, plan_a, mid_year):
    a = f.activity(sec_a, plan_a, targets=(1, 1, 1))
    r = services.realisation_create(actor=sec_a, activity=a, period="B08", value=1)
    services.realisation_submit(actor=sec_a, realisation=r)
    reminder = Reminder.objects.get(kind=kinds.REALISATION_OVERDUE, payload__period="B08")
    assert reminders.deliver(reminder.pk) == 0
    assert mail.outbox == []
    assert Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.CANCELLED


def test_overdue_reminder_comes_due_after_the_deadline(sec_a, plan_a, mid_year):
    f.activity(sec_a, plan_a, targets=(1, 1, 1))
    mid_year.move_to(datetime.datetime(2026, 9, 10, 23, 0, tzinfo=WIB))
    assert [Reminder.objects.get(pk=i).kind for i in reminders.claim_due()] == [kinds.PERIOD_CLOSING]
    mid_year.move_to(datetime.datetime(2026, 9, 11, 8, 1, tzinfo=WIB))
    [overdue] = reminders.claim_due()
    assert reminders.deliver(overdue) == 2
    assert "Realisasi B.08" in mail.outbox[0].subject and "terlambat" in mail.outbox[0].subject


def test_deleting_a_plan_cancels_its_reminders(sec_a, plan_a):
    services.plan_delete(actor=sec_a, plan=plan_a)
    assert not Reminder.objects.filter(status=Reminder.Status.PENDING).exists()


@pytest.mark.django_db
def test_demo_gives_every_team_a_plan_in_every_state():
    from actionplans import demo as ap_demo
    from actionplans.models import ActionPlan, Realisation
    from konflik import demo

    with time_machine.travel(datetime.datetime(2026, 11, 28, 9, tzinfo=WIB), tick=False):
        demo.seed(stdout=io.StringIO())
        ap_demo.seed(stdout=io.StringIO())
        ap_demo.seed(stdout=io.StringIO())  # idempotent
    assert ActionPlan.objects.filter(year=2026).count() == 15
    assert ActionPlan.objects.filter(status="approved").count() == 15
    states = set(Realisation.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "accepted", "returned"}
    assert (
        Realisation.objects.filter(on_time=False).exists()
        and Realisation.objects.filter(on_time=True).exists()
    )
