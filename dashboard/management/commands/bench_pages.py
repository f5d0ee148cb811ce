"""Benchmark of the pages the budgets are about (design.md): the leadership dashboard, the incident
list page and `/api/incidents/` with common filters, in-process through Django's test client (the
whole middleware stack, templates and serializers; no network), as the demo accounts.

    python manage.py bench_pages --label kalbar --iterations 100

Reports, per page, the SQL query count and the p50/p95 server time over the iterations (after a
warm-up). Point DATABASE_URL at a database seeded with `seed_demo --scale kalbar|national`; never
run it against production.
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import Incident
from konflik.models import Region, User

BUDGETS_MS = {"dashboard": 150, "list": 60}


def pages(year):
    span = f"date_from={year}-01-01&date_to={year}-12-31"
    return [
        ("dashboard", "pimpinan", "/dasbor/"),
        ("dashboard", "pimpinan", f"/dasbor/?year={year}&period=B04&region=61.71"),
        ("dashboard", "pimpinan-pontianak", "/dasbor/"),
        ("dashboard", "pimpinan", "/api/dashboard/"),
        ("list", "sekprov", "/kejadian/"),
        ("list", "sekprov", f"/kejadian/?source_of_conflict=natural_resource_dispute&{span}&status=verified"),
        ("list", "sekprov", "/kejadian/?region=61.71&stage=handled"),
        ("list", "sekprov", "/kejadian/?q=sengketa+lahan"),
        ("list", "sekprov", "/api/incidents/"),
        ("list", "sekprov", f"/api/incidents/?region=61.71&{span}&source_of_conflict=boundary_dispute"),
        ("list", "sekprov", "/api/incidents/?status=closed&ordering=-deaths"),
        ("list", "sekprov", "/api/incidents/?q=sengketa+lahan"),
        ("list", "sek-pontianak", "/kejadian/?q=sengketa+lahan"),
    ]


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Measure p50/p95 server time and SQL query count of the dashboard and the incident lists."

    def add_arguments(self, parser):
        parser.add_argument(
            "--label", default="", help="a name for this run in the table (e.g. kalbar, national)"
        )
        parser.add_argument("--iterations", type=int, default=100)
        parser.add_argument("--warmup", type=int, default=5)

    def handle(self, *args, label, iterations, warmup, **options):
        if iterations < 1:
            raise CommandError("--iterations must be at least 1")
        # The pages are measured, not the rate limiter: searches are throttled per user per minute, so
        # this process (only) lifts the limit; every timed answer must still be a 200.
        rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        rates["search"] = "1000000/min"
        clients = {}
        for username in {user for _kind, user, _url in pages(0)}:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"demo account {username!r} missing: run `manage.py seed_demo` first")
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(user)
            clients[username] = client
        incidents = Incident.objects.count()
        regencies = Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.CITY]).count()
        self.stdout.write(
            f"{label or 'run'}: {incidents} incidents, {regencies} regencies/cities, "
            f"{connection.vendor}, {iterations} iterations after {warmup} warm-up"
        )
        self.stdout.write("| scale | page | as | queries | p50 ms | p95 ms | budget p95 |")
        self.stdout.write("|---|---|---|---:|---:|---:|---:|")
        results = []
        for kind, username, url in pages(timezone.localdate().year):
            client = clients[username]
            for _ in range(warmup):
                client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            queries = len(captured)  # read now: the next requests reset the connection's query log
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            timings = []
            for _ in range(iterations):
                started = time.perf_counter()
                status = client.get(url).status_code
                timings.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    raise CommandError(f"{url} answered {status} during the timed calls")
            p50, p95 = statistics.median(timings), percentile(timings, 0.95)
            results.append({"kind": kind, "url": url, "queries": queries, "p50": p50, "p95": p95})
            self.stdout.write(
                f"| {label} | `{url}` | {username} | {queries} | {p50:.1f} | {p95:.1f} | {BUDGETS_MS[kind]} |"
            )
        return None
