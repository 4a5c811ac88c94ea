"""Create an administrator account if there is none, and print its one-time password."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a superuser named USERNAME (default: admin) if no superuser exists, and print its password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Where the site is served.")

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator account already exists; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nAdministrator account created. This password is shown only once:\n"
                f"    username: {username}\n    password: {password}\n"
                f"Log in at {url.rstrip('/')}/fr/admin/ (or /en/admin/) and change it.\n"
            )
        )
