from django.apps import AppConfig, apps
from django.db import router
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

EDITORS_GROUP = "Editors"

# What editors may add and change: every record of the portal and its citations.
EDITED_MODELS = (
    "participants.country",
    "participants.person",
    "participants.personalias",
    "organizations.organization",
    "organizations.organizationalias",
    "organizations.position",
    "conferences.topic",
    "conferences.series",
    "conferences.conference",
    "conferences.conferenceorganization",
    "conferences.participation",
    "conferences.attendance",
    "conferences.sourcereport",
    "conferences.citation",
)
# What they may also delete, because deleting is part of correcting: rows that link or
# spell records, not the records themselves. A conference's topic links need no
# permission of their own: the admin allows them to whoever may change topics.
DELETED_MODELS = (
    "participants.personalias",
    "organizations.organizationalias",
    "organizations.position",
    "conferences.conferenceorganization",
    "conferences.participation",
    "conferences.attendance",
    "conferences.citation",
)


def editor_permission_names():
    """The group's permissions as (app_label, codename) pairs."""
    names = set()
    for label in EDITED_MODELS:
        app_label, model = label.split(".")
        names.update((app_label, f"{action}_{model}") for action in ("view", "add", "change"))
    for label in DELETED_MODELS:
        app_label, model = label.split(".")
        names.add((app_label, f"delete_{model}"))
    return names


def ensure_editors_group(using="default"):
    """Create the Editors group, or reset its permissions to exactly the ones above.

    Safe to run any number of times; post_migrate runs it after every migrate.
    """
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.management import create_contenttypes

    names = editor_permission_names()
    # The permissions of all three apps must exist, whichever app's migrate got us here.
    for app_label in sorted({app_label for app_label, _codename in names}):
        app_config = apps.get_app_config(app_label)
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)

    candidates = Permission.objects.using(using).select_related("content_type").filter(
        content_type__app_label__in={app_label for app_label, _codename in names}
    )
    wanted = [
        permission for permission in candidates if (permission.content_type.app_label, permission.codename) in names
    ]
    missing = names - {(permission.content_type.app_label, permission.codename) for permission in wanted}
    if missing:
        raise LookupError(f"Permissions not found for the Editors group: {sorted(missing)}")
    group, _created = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    group.permissions.set(wanted)
    return group


def refresh_editors_group(sender, using="default", **kwargs):
    from django.contrib.auth.models import Group

    if router.allow_migrate_model(using, Group):
        ensure_editors_group(using)


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = _("Conferences and sources")

    def ready(self):
        import simple_history

        from .models import (
            Attendance,
            Citation,
            Conference,
            ConferenceOrganization,
            Participation,
            Series,
            SourceReport,
            Topic,
        )

        # Registered once modeltranslation has added the translated columns (participants.apps).
        for model in (Topic, Series, ConferenceOrganization, Participation, Attendance, SourceReport, Citation):
            simple_history.register(model, app=self.label)
        # A conference's topics are a plain many-to-many: their changes are kept with it.
        simple_history.register(Conference, app=self.label, m2m_fields=["topics"])
        # Sent after this app's migrations, once the permissions of the apps before it exist.
        post_migrate.connect(refresh_editors_group, sender=self, dispatch_uid="conferences.refresh_editors_group")
