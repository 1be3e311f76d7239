"""Print the built checklist pages to PDF with headless Chromium.

The print layout is the site's own print stylesheet (A4, page numbers and
the post's name in the page margins), so the PDF is exactly what a trainer
gets from the browser's print dialog.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator import pages

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling home, which a closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Flags for headless Chromium here and in the browser tests and benchmarks."""
TIMEOUT_SECONDS = 120


class PdfError(Exception):
    pass


def find_browser() -> str:
    configured = os.environ.get("HANDBOOK_CHROMIUM")
    for name in ([configured] if configured else []) + list(BROWSERS):
        path = shutil.which(name)
        if path:
            return path
    raise PdfError(
        "--pdf needs headless Chromium: install it (Debian: apt-get install chromium "
        "fonts-noto-cjk) or set HANDBOOK_CHROMIUM to the browser's path"
    )


def print_to_pdf(html_file: Path, pdf_file: Path, browser: str | None = None) -> None:
    """Print one local HTML file to ``pdf_file``."""
    pdf_file.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="handbook-chromium-") as profile:
        command = [
            browser or find_browser(),
            *HEADLESS_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--virtual-time-budget=5000",
            f"--print-to-pdf={pdf_file}",
            html_file.resolve().as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
        except (OSError, subprocess.SubprocessError) as error:
            raise PdfError(f"Chromium could not print {html_file}: {error}") from None
    if not pdf_file.is_file() or pdf_file.stat().st_size == 0:
        raise PdfError(f"Chromium wrote no PDF for {html_file}")


def print_checklists(
    site_dir: Path, post_ids: list[str], directory_urls: bool = True
) -> list[Path]:
    """One PDF per post and one for all posts, written to ``site_dir/pdf/``."""
    browser = find_browser()
    sources = {post_id: pages.checklist_page(post_id) for post_id in post_ids}
    sources["all"] = f"{pages.CHECKLIST_DIR}/index.md"
    written = []
    for name, src_uri in sources.items():
        target = site_dir / pages.pdf_file(name)
        print_to_pdf(site_dir / pages.built_path(src_uri, directory_urls), target, browser)
        written.append(target)
    return written
