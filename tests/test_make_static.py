"""`make static`, run by every `make run`: the files are collected (and compressed) again only when
something under static/ or the installed packages changed, so a second `make run` starts at once.

The test works on a copy of the project with its own staticfiles/, and hands make a stamp of the
installed packages of its own, so it never installs anything.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("make") is None, reason="needs make"),
]


@pytest.fixture
def project(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT, copy, symlinks=True,
        ignore=shutil.ignore_patterns(".git", ".venv", "staticfiles", "db.sqlite3", "__pycache__", "*_cache"),
    )
    installed = tmp_path / "installed-stamp"
    installed.touch()
    return copy, installed


def make(project, *arguments):
    copy, installed = project
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        ["make", "--no-print-directory", *arguments, f"PY={sys.executable}", f"STAMP={installed}"],
        cwd=copy, env=environment, capture_output=True, text=True, timeout=600,
    )


def test_a_second_make_static_collects_nothing_until_a_file_changes(project):
    copy, installed = project
    manifest = copy / "staticfiles" / "staticfiles.json"
    first = make(project, "static")
    assert first.returncode == 0, first.stderr
    assert manifest.exists()
    collected = manifest.stat().st_mtime_ns

    # Up to date: nothing to run, and a second run leaves the collection alone.
    assert make(project, "-q", "static").returncode == 0
    started = time.monotonic()
    second = make(project, "static")
    assert second.returncode == 0, second.stderr
    assert time.monotonic() - started < 5
    assert "collectstatic" not in second.stdout
    assert manifest.stat().st_mtime_ns == collected

    # Whatever changes under static/, or in the installed packages, makes it collect again.
    def to_collect():
        return make(project, "-q", "static").returncode == 1

    stylesheet = copy / "static" / "css" / "site.css"
    original = stylesheet.read_text()
    stylesheet.write_text(original + "\n/* changed */\n")
    assert to_collect()
    stylesheet.write_text(original)
    os.utime(stylesheet, ns=(collected, collected))
    assert not to_collect()
    installed.touch()
    assert to_collect()
    os.utime(installed, ns=(collected, collected))
    assert not to_collect()
    (copy / "static" / "css" / "extra.css").write_text("p {}\n")
    assert to_collect()
