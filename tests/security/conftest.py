# The transactional seeding of regions and positions, for the live (gunicorn) tests.
from teams.tests.conftest import teams_seed  # noqa: F401
