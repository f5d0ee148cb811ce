# The teams fixtures used by the live tests (transactional seeding of regions and positions).
from teams.tests.conftest import teams_seed  # noqa: F401
