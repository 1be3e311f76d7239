"""A build never deletes what it did not make, and never leaves half a site or litter.

Each case runs ``handbook build`` as a user would, on a private copy of the
project, and checks what is left on disk afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, tree_digest

from generator.site.build import SITE_MARKER, BuildError, build_site


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project: mkdocs.yml, docs/ and content/."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copytree(CONTENT, folder / "content")
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


def start(project: Path, *args: str) -> subprocess.Popen:
    # A build gets Ctrl+C as one run from a terminal does, even when the tests run in the
    # background of a script, whose shell makes them ignore SIGINT: an ignored signal stays
    # ignored in the child, one with a handler is reset to the default.
    ignoring = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "build", *args],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    finally:
        signal.signal(signal.SIGINT, ignoring)


def build(project: Path, *args: str) -> subprocess.CompletedProcess:
    process = start(project, *args)
    stdout, stderr = process.communicate(timeout=300)
    assert "Traceback" not in stdout + stderr
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def litter(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(".site-"))


@pytest.mark.parametrize(
    "args, message",
    [
        (["--content", "content", "-d", "content"], "it is"),
        (["-d", "."], "it holds"),
        (["-d", ".."], "it holds"),
        (["-d", "docs"], "it is"),
        (["-d", "docs/site"], "lies inside the source folder"),
        (["-d", "content/site"], "lies inside the source folder"),
        (["-d", "notes"], "is not empty and is not a site this command built"),
    ],
    ids=["content", "project", "parent", "docs", "inside-docs", "inside-content", "foreign"],
)
def test_a_folder_the_build_did_not_make_is_refused_before_any_work(project, args, message):
    (project / "notes").mkdir()
    (project / "notes" / "todo.txt").write_text("keep me", encoding="utf-8")
    before = tree_digest(project.parent)
    result = build(project, *args)
    assert result.returncode == 1
    assert "refusing to build into" in result.stderr and message in result.stderr
    assert "site built" not in result.stdout
    assert tree_digest(project.parent) == before, "nothing was written, nothing was deleted"
    assert litter(project) == []


def test_an_empty_site_folder_argument_is_refused(project):
    """``-d "$UNSET"`` must not become the current folder."""
    before = tree_digest(project)
    result = build(project, "-d", "")
    assert result.returncode == 2
    assert "is empty" in result.stderr
    assert tree_digest(project) == before


def test_a_previous_build_an_empty_folder_and_a_stock_site_are_replaced(project):
    assert build(project, "-d", "site").returncode == 0
    assert (project / "site" / SITE_MARKER).is_file()
    assert build(project, "-d", "site").returncode == 0, "its own previous build"
    (project / "empty").mkdir()
    assert build(project, "-d", "empty").returncode == 0, "an empty folder"
    (project / "empty" / SITE_MARKER).unlink()
    assert build(project, "-d", "empty").returncode == 0, "a site built by plain mkdocs"
    assert litter(project) == []


def test_the_site_gets_normal_permissions(project):
    result = build(project, "-d", "site")
    assert result.returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    mode = stat.S_IMODE((project / "site").stat().st_mode)
    assert mode == 0o777 & ~umask, oct(mode)


def wait_for_staging(project: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not litter(project):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never started staging"
        time.sleep(0.02)
    time.sleep(0.3)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_build_says_so_and_leaves_the_old_site(project, stop):
    assert build(project, "-d", "site").returncode == 0
    before = tree_digest(project / "site")
    process = start(project, "-d", "site", "--offline")
    wait_for_staging(project, process)
    process.send_signal(stop)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "stopped" in stderr and "previous site is intact" in stderr
    assert "Traceback" not in stdout + stderr
    assert tree_digest(project / "site") == before
    assert litter(project) == []


def test_staging_left_by_a_killed_build_is_removed_by_the_next(project):
    assert build(project, "-d", "site").returncode == 0
    process = start(project, "-d", "site")
    wait_for_staging(project, process)
    process.kill()
    process.communicate(timeout=60)
    left = litter(project)
    assert left, "a killed build cannot clean up after itself"
    assert build(project, "-d", "site").returncode == 0
    assert litter(project) == []


def test_an_unwritable_location_is_a_message(project, monkeypatch):
    blocker = project / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    result = build(project, "-d", "blocker/site")
    assert result.returncode == 1
    assert "blocker" in result.stderr and "nothing was built" in result.stderr

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(project / "readonly"))

    monkeypatch.setattr("tempfile.mkdtemp", refuse)
    with pytest.raises(BuildError, match="Permission denied.*choose another folder"):
        build_site(project / "mkdocs.yml", site_dir=project / "readonly" / "site")
