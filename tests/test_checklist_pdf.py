"""Printed checklists, rendered by headless Chromium and read back from the PDF."""

import os
import re
import shutil
import subprocess
import unicodedata

import pytest
from conftest import CONFIG, CONTENT
from pypdf import PdfReader

from generator.content.load import load_handbook
from generator.render.text import TextFormatter

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
    from generator.site.build import build_site

    site = tmp_path_factory.mktemp("pdf") / "site"
    build_site(CONFIG, site_dir=site, pdf=True)
    return site


def squeeze(text: str) -> str:
    """Whitespace and tick boxes removed, full-width forms folded (NFKC), so wrapped
    lines compare equal (the boxes of a row sit between the lines of its text)."""
    return re.sub(r"[\s☐]+", "", unicodedata.normalize("NFKC", text))


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


ROWS_PER_SHEET = 20
"""Every step of every procedure is a row; a legible A4 sheet holds about twenty of them
(94 rows took five sheets), plus one sheet for the header, conditions and sign-off."""


def max_sheets(post) -> int:
    rows = len(post.grooming.rules) + len(post.duties.items)
    for procedure in post.procedures:
        rows += len(procedure.items) + (len(procedure.table.rows) if procedure.table else 0)
    return -(-rows // ROWS_PER_SHEET) + 1


def expected_items(post) -> list[str]:
    """Every text a trainer needs on paper: requirements, grooming, duties, every step."""
    plain = TextFormatter.for_handbook(HANDBOOK, glossary=False).plain_value
    texts = [item.text for item in post.qualifications.items + post.duties.items]
    for rule in post.grooming.rules:
        texts += [text for text in (rule.text, rule.men, rule.women) if text]
    for procedure in post.procedures:
        texts.append(procedure.title)
        for item in procedure.items:
            texts += [item.text] + [sub.text for sub in item.items]
        if procedure.table:
            texts += [cell for row in procedure.table.rows for cell in row]
    # In the 通用版 an empty project fact prints as its instruction, 〔label：…〕.
    return [squeeze(plain(text)) for text in texts]


def sections_of(post) -> int:
    """Grooming, duties and one section per procedure."""
    return 2 + len(post.procedures)


@pytest.mark.parametrize("post", HANDBOOK.posts, ids=lambda post: post.id)
def test_each_post_prints_a_complete_training_form_on_a4(pdf_site, post):
    path = pdf_site / "pdf" / f"{post.id}.pdf"
    reader = PdfReader(path)
    assert 1 <= len(reader.pages) <= max_sheets(post)
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
    assert "签字确认" in pages[-1] and "培训师签字" in pages[-1] and "备注" in pages[-1]
    first = pages[0]
    for field in ["学员姓名", "培训师", squeeze(f"版本{HANDBOOK.meta.version}"), "生效日期"]:
        assert field in first, field
    assert "生效日期(待填写)" not in whole, "an empty effective date is a line to fill in"
    assert whole.count("本节完成日期") == sections_of(post)
    assert whole.count("培训师签名缩写") == sections_of(post) + 1, "each section, and the help"
    for page in pages:
        if "内容" in page:
            # A narrow column wraps 学员/演练 and 考核/通过 onto two lines each.
            words = ["讲解", "示范", "学员", "演练", "考核", "通过"]
            assert all(word in page for word in words), "every page of rows has the stages"
    assert "上岗条件核对" in first
    for chrome in ["搜索", "术语表", "返回岗位页面", "打印时保留", "下载PDF"]:
        assert chrome not in whole, chrome


def test_all_posts_print_each_on_new_sheets(pdf_site):
    pages = pages_text(pdf_site / "pdf" / "all.pdf")
    starts = [i for i, text in enumerate(pages) if "培训师逐行" in text]
    assert len(starts) == len(HANDBOOK.posts)
    for start, post in zip(starts, HANDBOOK.posts, strict=True):
        assert squeeze(post.name + "培训清单") in pages[start]


@pytest.mark.parametrize("post", HANDBOOK.posts, ids=lambda post: post.id)
def test_hiring_requirements_are_checked_once_not_trained(pdf_site, post):
    html = (pdf_site / "checklists" / post.id / "index.html").read_text(encoding="utf-8")
    plain = TextFormatter.for_handbook(HANDBOOK, glossary=False).plain_value
    conditions = html.split('class="hb-conditions"')[1].split("</div>")[0]
    rows = "".join(re.findall(r'<table class="hb-check-table">.*?</table>', html, flags=re.S))
    assert rows.count('class="hb-check"') == len(expected_rows(post))
    for item in post.qualifications.items:
        text = re.sub(r"<[^>]+>", "", plain(item.text))[:8]
        assert text in re.sub(r"<[^>]+>", "", conditions), text
        assert text not in re.sub(r"<[^>]+>", "", rows), f"{text} is a training row"


def expected_rows(post) -> list[object]:
    rows = list(post.grooming.rules) + list(post.duties.items)
    for procedure in post.procedures:
        steps = list(procedure.items) + (list(procedure.table.rows) if procedure.table else [])
        rows += steps or [procedure]
    return rows


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
