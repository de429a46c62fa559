from django.apps import AppConfig
from django.db.models.signals import post_delete


def forget_slugs(sender, instance, **kwargs):
    """A deleted record's earlier slugs are free again (its pages answer 404)."""
    from .models import SluggedModel, SlugHistory

    if isinstance(instance, SluggedModel) and instance.pk is not None:
        SlugHistory.objects.for_model(sender).filter(object_id=instance.pk).delete()


class CoreConfig(AppConfig):
    """The bottom app: base models, the site's state, slug history, dates, Arabic folding, seeds."""

    name = "core"
    verbose_name = "Portal"

    def ready(self):
        from . import state, tags

        state.connect_signals()
        tags.connect_signals()
        post_delete.connect(forget_slugs, dispatch_uid="core.forget_slugs")
