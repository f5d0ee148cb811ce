# The transactional seeding of regions and positions.
from teams.tests.conftest import teams_seed  # noqa: F401
