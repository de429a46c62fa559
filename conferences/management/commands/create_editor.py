"""`manage.py create_editor USERNAME`: a staff account in the Editors group.

The password comes from DJANGO_EDITOR_PASSWORD when it is set, otherwise from a
prompt (asked twice). Either way Django's password validators check it. An
existing account is left exactly as it is.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import translation

from conferences.apps import EDITORS_GROUP, ensure_editors_group

PASSWORD_VARIABLE = "DJANGO_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = "Create a staff user in the Editors group. Running it again for an existing user changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The editor's email address (optional).")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help=f"Never prompt: the password must then be in {PASSWORD_VARIABLE}.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        # Like load_seeds, the command speaks English; the validators' messages too.
        with translation.override("en"):
            self.create(**options)

    def create(self, *, username, email, interactive, database, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("The username cannot be blank.")
        if User._default_manager.db_manager(database).filter(**{User.USERNAME_FIELD: username}).exists():
            self.stdout.write(f"The user {username} already exists; nothing was changed.")
            return

        user = User(**{User.USERNAME_FIELD: username}, email=email, is_staff=True)
        try:
            user.full_clean(exclude=["password"], validate_unique=False)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        user.set_password(self.get_password(user, interactive))

        with transaction.atomic(using=database):
            user.save(using=database)
            user.groups.add(ensure_editors_group(database))
        self.stdout.write(self.style.SUCCESS(f"Created the editor {username} (staff, in the group {EDITORS_GROUP})."))

    def get_password(self, user, interactive):
        password = os.environ.get(PASSWORD_VARIABLE)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(f"{PASSWORD_VARIABLE} is not accepted: " + " ".join(error.messages)) from error
            return password
        if not interactive:
            raise CommandError(f"Set {PASSWORD_VARIABLE}, or run the command without --no-input to be asked.")
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ. Try again.")
                continue
            if not password.strip():
                self.stderr.write("The password cannot be blank. Try again.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password
