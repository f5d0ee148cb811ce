"""Provision an account: `python manage.py adduser USERNAME --role ROLE --region CODE [--password P]`."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from konflik.models import User
from konflik.services import user_provision


class Command(BaseCommand):
    help = "Create or update a user with a role and a region."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=" | ".join(User.Role.values))
        parser.add_argument(
            "--region", default=None, help="Kemendagri code, e.g. 61.71 (not needed for admin)"
        )
        parser.add_argument("--password", default=None, help="prompted for when absent")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, region, password, email, **options):
        if role not in User.Role.values:
            raise CommandError(f"unknown role {role!r}; choose one of: {', '.join(User.Role.values)}")
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords differ")
        try:
            user = user_provision(
                username=username, role=role, region_code=region, password=password, email=email
            )
        except ValidationError as exc:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(messages)
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {user.role}, region {user.region_id or '-'}"))
