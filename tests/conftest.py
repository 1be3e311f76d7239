from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from generator.site.pdf import HEADLESS_FLAGS

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
CONFIG = ROOT / "mkdocs.yml"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private, editable copy of the real content folder."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site with its offline copy, built once with the project's own mkdocs.yml."""
    from generator.site.build import build_site

    target = tmp_path_factory.mktemp("built") / "site"
    build_site(CONFIG, site_dir=target, offline=True)
    return target


def chromium_or_skip() -> None:
    """Browser tests skip on a machine without Chromium, but never in CI."""
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: install chromium (see .ci/run)")
    pytest.skip("headless Chromium is not installed")


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by selenium, at phone size."""
    chromium_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium")
    for argument in (*HEADLESS_FLAGS, "--window-size=390,844"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()


@contextlib.contextmanager
def serving(folder: Path):
    """``folder`` on a local web server; yields its base URL."""
    import functools
    import http.server
    import threading

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def served(site):
    """The built site on a local web server; yields its base URL."""
    with serving(site) as url:
        yield url


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its SHA-256: equal digests, byte-identical trees."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact occurrence of ``old`` in a content file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
