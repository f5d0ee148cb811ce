"""`manage.py reconcile` notices a follow-up item whose copied team no longer matches its meeting's (the
column its scope is read from), and is quiet while they agree."""

import io

import pytest
from django.core.management import CommandError, call_command

from teams.models import FollowUp
from teams.tests.factories import FollowUpFactory

LINE = "follow-up items whose team is not their meeting's"


def reconcile():
    out = io.StringIO()
    try:
        call_command("reconcile", stdout=out)
        failed = False
    except CommandError:
        failed = True
    return out.getvalue(), failed


@pytest.mark.django_db
def test_reconcile_checks_the_follow_up_team_copy(meeting_a, team_b):
    item = FollowUpFactory(meeting=meeting_a)
    text, failed = reconcile()
    assert LINE in text and not failed
    FollowUp.objects.filter(pk=item.pk).update(team=team_b)  # a copy gone astray (e.g. a hand edit)
    text, failed = reconcile()
    assert failed and "<-- FAILED" in [line for line in text.splitlines() if LINE in line][0]
