"""``handbook serve`` while content is broken: the browser shows the errors, never hangs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    """The page at ``url`` (a 404 page counts); fails if the server does not answer in time."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")


def until(url: str, condition, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            page = fetch(url)
            if condition(page):
                return page
        except (urllib.error.URLError, ConnectionError):
            page = ""
        assert time.monotonic() < deadline, f"{url} never showed what was expected:\n{page[-500:]}"
        time.sleep(0.3)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("content", "docs", "projects"):
        shutil.copytree(CONTENT if name == "content" else ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def serving(project: Path, *arguments: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "-a", f"127.0.0.1:{port}", *arguments],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return server, f"http://127.0.0.1:{port}"


def test_a_centre_preview_reloads_on_edits_to_the_overlay_and_the_base(project):
    server, base = serving(project, "--project", "example-riverside")
    overlay = project / "projects" / "example-riverside" / "centre.yml"
    scripts = project / "content" / "scripts" / "visit.yml"
    try:
        page = until(f"{base}/scripts/visit/", lambda page: "400-000-0001" in page)
        assert "示例站点" in page
        overlay.write_text(
            overlay.read_text("utf-8").replace("400-000-0001", "400-000-0077"), "utf-8"
        )
        until(f"{base}/scripts/visit/", lambda page: "400-000-0077" in page)
        scripts.write_text(
            scripts.read_text("utf-8").replace("question: ", "question: 改过的", 1), "utf-8"
        )
        until(f"{base}/scripts/visit/", lambda page: "改过的" in page and "400-000-0077" in page)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output, output


def test_errors_show_in_the_browser_and_clear_when_fixed(project):
    post = project / "content" / "posts" / "manager.yml"
    good = post.read_text("utf-8")
    broken = good.replace("name: 案场管理岗", "nmae: 案场管理岗")
    post.write_text(broken, encoding="utf-8")
    server, base = serving(project)
    try:
        # Broken from the start: an error page that names the file, line and field.
        page = until(f"{base}/", lambda page: "内容有错误" in page)
        assert "posts/manager.yml:3:1: nmae: unknown field" in page

        post.write_text(good, encoding="utf-8")
        page = until(f"{base}/posts/manager/", lambda page: "案场管理岗素质要求" in page)
        assert "内容有错误" not in page

        # Broken again: the last good pages stay, with the errors on top.
        post.write_text(broken, encoding="utf-8")
        page = until(f"{base}/posts/manager/", lambda page: "内容有错误" in page)
        assert "案场管理岗素质要求" in page and "nmae: unknown field" in page
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
    assert "content has errors" in output, "the terminal says it too"
