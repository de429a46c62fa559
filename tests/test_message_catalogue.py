"""The Arabic message catalogue stays whole: every text the code translates is found by
makemessages, so running it does not turn a translation into an obsolete entry (`#~`), which the
compiled catalogue leaves out and the Arabic pages would then show in English. A text translated
inside an f-string, for one, is not found."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("manage.py", "portal", "core", "conferences", "organizations", "participants", "search", "public",
           "templates", "locale")


def obsolete_messages(po):
    return [line for line in po.read_text(encoding="utf-8").splitlines() if line.startswith("#~ msgid ")]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
def test_makemessages_keeps_every_arabic_translation(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    po = tmp_path / "locale" / "ar" / "LC_MESSAGES" / "django.po"
    before = obsolete_messages(po)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "ar", "--no-location", "--verbosity", "0"],
        cwd=tmp_path, check=True, capture_output=True,
    )
    assert obsolete_messages(po) == before
