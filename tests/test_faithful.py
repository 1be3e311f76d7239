"""Every fact of the captured handbook appears on the site, in the handbook's order."""

import os
import re
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT

from generator import pages
from generator.content.load import load_handbook
from generator.render.markdown import render

# The customer's captured handbook lives beside the project (../shared/handbook/).
CAPTURE = Path(
    os.environ.get("HANDBOOK_CAPTURE", ROOT.parent / "shared/handbook/000_a2517b6241562023.txt")
)
if not CAPTURE.is_file() and not os.environ.get("CI"):
    pytest.skip(f"handbook capture not found at {CAPTURE}", allow_module_level=True)
BOILERPLATE = ["原创力文档", "book118", "VIP", "文档评论", "版权申诉", "400-050-0827", "文档贡献者"]


def capture_fragments() -> list[str]:
    """The handbook body, split where the capture put spaces, without numbering or colons."""
    text = CAPTURE.read_text(encoding="utf-8")
    body = text[text.index("目 录") + len("目 录") : text.index("文档评论")]
    fragments = [re.sub(r"^\d+、", "", part).rstrip(":") for part in body.split()]
    return [fragment for fragment in fragments if fragment]


def site_text(content: Path = CONTENT) -> str:
    """All pages as a reader meets them in navigation order, markup removed."""
    handbook = load_handbook(content).handbook
    rendered = render(handbook)
    parts, section = [], None
    for page in pages.plan(handbook):
        if page.section != section and page.section:
            parts.append(page.section)
        section = page.section
        parts.append(page.title)
        parts.append(rendered[page.src_uri])
    text = "\n".join(parts)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\\(.)", r"\1", text)


def test_the_capture_is_found():
    assert CAPTURE.is_file(), f"the handbook capture is missing: {CAPTURE}"
    assert len(capture_fragments()) > 60


def test_every_fragment_appears_in_order():
    text = site_text()
    position = 0
    for fragment in capture_fragments():
        found = text.find(fragment, position)
        assert found >= 0, f"missing or out of order: {fragment!r}"
        position = found + len(fragment)


def test_handbook_text_is_marked_handbook_and_the_break_is_shown():
    handbook = load_handbook(CONTENT).handbook
    archive = handbook.complaints.process[-1]
    broken = [item for item in archive.items if item.broken_off]
    assert [item.text for item in broken] == ["客户投诉处理完毕后需将客户"]
    assert broken[0].source.value == "handbook"
    assert "(原文至此中断)" in site_text()


def test_no_boilerplate_of_the_sharing_site():
    text = site_text()
    for phrase in BOILERPLATE:
        assert phrase not in text, phrase
