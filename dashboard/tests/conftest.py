import datetime

import pytest
import time_machine

from actionplans.periods import WIB

# Late in the year: every month of 2026 has passed, B.04 and B.08 are closed, B.12 is running.
LATE_2026 = datetime.datetime(2026, 12, 20, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def late_2026():
    with time_machine.travel(LATE_2026, tick=False) as traveller:
        yield traveller
