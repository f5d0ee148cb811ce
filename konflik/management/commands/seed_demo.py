"""Demo data: accounts for every role, then each app's own demo (`<app>/demo.py`, function `seed`).

Idempotent: run it again and nothing is duplicated. `--scale` is passed to each app's seed
(`demo` for a first run; `kalbar` and `national` for the benchmark).
"""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create demo accounts and demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="demo", choices=["demo", "kalbar", "national"])

    def handle(self, *args, scale, **options):
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.seed(stdout=self.stdout, scale=scale)
