import datetime

import pytest
import time_machine

from actionplans.periods import WIB

from . import factories as f

# Mid-year: B04 closed (its deadline 10 May passed), B08 running, B12 not started.
MID_YEAR = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The cast's passwords are hashed with Argon2 in production settings; here speed matters.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mid_year():
    with time_machine.travel(MID_YEAR, tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan_a(sec_a, mid_year):
    return f.plan(sec_a, "61.71")


@pytest.fixture
def plan_b(sec_b, mid_year):
    return f.plan(sec_b, "61.01")


@pytest.fixture
def activity_a(sec_a, plan_a):
    return f.activity(sec_a, plan_a)


@pytest.fixture
def activity_b(sec_b, plan_b):
    return f.activity(
        sec_b, plan_b, title="Patroli gabungan Sambas", strategy="stopping", sub_type="stopping_violence"
    )
