"""gunicorn.conf.py's hooks, as gunicorn calls them in each worker."""

import gc
import runpy

from django.conf import settings


def test_a_worker_hides_what_it_has_loaded_from_the_garbage_collector():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    tracked = len(gc.get_objects())
    try:
        config["post_worker_init"](worker=None)
        # A full collection no longer walks Django, the apps and their address patterns: the
        # objects left in its sight are those made since.
        assert gc.get_freeze_count() > tracked // 2
        assert len(gc.get_objects()) < tracked // 10
    finally:
        gc.unfreeze()
