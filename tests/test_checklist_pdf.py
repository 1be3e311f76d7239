"""Printed checklists, rendered by headless Chromium and read back from the PDF."""

import os
import re
import shutil
import subprocess
import unicodedata

import pytest
from conftest import CONFIG, CONTENT
from pypdf import PdfReader

from generator.load import load_handbook
from generator.text import TextFormatter

HANDBOOK = load_handbook(CONTENT).handbook
A4 = (595.3, 841.9)

if not (shutil.which("chromium") or os.environ.get("HANDBOOK_CHROMIUM")) or not shutil.which(
    "pdftotext"
):
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the PDF tests: install chromium and poppler-utils")
    pytest.skip("headless Chromium or poppler-utils is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory):
    from generator.build import build_site

    site = tmp_path_factory.mktemp("pdf") / "site"
    build_site(CONFIG, site_dir=site, pdf=True)
    return site


def squeeze(text: str) -> str:
    """Whitespace removed, full-width forms folded (NFKC), so wrapped lines compare equal."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pages_text(path) -> list[str]:
    """Each page's text, read with poppler's pdftotext (it maps CJK glyphs correctly)."""
    count = len(PdfReader(path).pages)
    return [
        squeeze(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for n in range(1, count + 1)
    ]


def expected_items(post) -> list[str]:
    plain = TextFormatter.for_handbook(HANDBOOK, glossary=False).plain_value
    texts = [item.text for item in post.qualifications.items + post.duties.items]
    for rule in post.grooming.rules:
        texts += [text for text in (rule.text, rule.men, rule.women) if text]
    texts += [procedure.title for procedure in post.procedures]
    return [squeeze(plain(text)) for text in texts]


@pytest.mark.parametrize("post", HANDBOOK.posts, ids=lambda post: post.id)
def test_each_post_prints_on_at_most_two_a4_pages(pdf_site, post):
    path = pdf_site / "pdf" / f"{post.id}.pdf"
    reader = PdfReader(path)
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2

    pages = pages_text(path)
    whole = "".join(pages)
    for text in expected_items(post):
        assert text in whole, text
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页/共{len(pages)}页" in page
        assert squeeze(post.name + "培训清单") in page
    assert "签字确认" in pages[-1] and "培训师签字" in pages[-1]
    for chrome in ["搜索", "术语表", "返回岗位页面", "打印时保留", "下载PDF"]:
        assert chrome not in whole, chrome


def test_all_posts_print_each_on_new_sheets(pdf_site):
    pages = pages_text(pdf_site / "pdf" / "all.pdf")
    starts = [i for i, text in enumerate(pages) if "培训师逐项" in text]
    assert len(starts) == len(HANDBOOK.posts)
    for start, post in zip(starts, HANDBOOK.posts, strict=True):
        assert squeeze(post.name + "培训清单") in pages[start]


def test_checklist_pages_link_their_pdf(pdf_site):
    html = (pdf_site / "checklists" / "manager" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/manager.pdf"' in html
    assert (pdf_site / "pdf" / "manager.pdf").is_file()


def test_first_page_renders_to_png(pdf_site, tmp_path):
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf_site / "pdf" / "manager.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    assert list(tmp_path.glob("page*.png"))
