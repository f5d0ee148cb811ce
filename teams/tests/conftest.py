import pytest

from teams.tests.factories import InstitutionFactory, MeetingFactory, MemberFactory, TeamFactory


@pytest.fixture
def team_a(db):
    return TeamFactory(region_id="61.71", name="Tim Terpadu Kota Pontianak")


@pytest.fixture
def team_b(db):
    return TeamFactory(region_id="61.01", name="Tim Terpadu Kabupaten Sambas")


@pytest.fixture
def team_prov(db):
    return TeamFactory(region_id="61", name="Tim Terpadu Provinsi Kalimantan Barat")


@pytest.fixture
def member_of_a(team_a, member_a):
    """The `member_a` user's membership in team A."""
    return MemberFactory(team=team_a, name="Anggota A", user=member_a, email="anggota-a@example.test")


@pytest.fixture
def meeting_a(team_a):
    return MeetingFactory(team=team_a, title="Rapat A")


@pytest.fixture
def meeting_b(team_b):
    return MeetingFactory(team=team_b, title="Rapat B")


@pytest.fixture
def institution_a(db):
    return InstitutionFactory(region_id="61.71", name="Polresta Pontianak")


@pytest.fixture
def teams_seed(transactional_db, kalbar_regions, django_db_blocker):
    """Transactional tests flush the tables: put the regions and default positions back."""
    import importlib

    from django.apps import apps

    with django_db_blocker.unblock():
        importlib.import_module("teams.migrations.0003_default_positions").seed(apps, None)


@pytest.fixture
def eager_celery():
    """Run `send_reminder.delay()` in-process (as the live worker would, minus the broker)."""
    from konflik.celery import app

    app.conf.task_always_eager = True
    try:
        yield app
    finally:
        app.conf.task_always_eager = False
