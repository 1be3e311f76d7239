"""Printed handbook pages (the browser's print to A4, read back with pdftotext): every
sheet names the handbook and its version and has a page number, no heading is the last
line of a sheet, and a diagram prints on the sheet of its heading."""

import base64
import os
import re
import shutil
import subprocess
import unicodedata

import pytest
from conftest import CONTENT

from generator.content.load import load_handbook

HANDBOOK = load_handbook(CONTENT).handbook

if not shutil.which("pdftotext"):
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the print tests: install poppler-utils")
    pytest.skip("poppler-utils is not installed", allow_module_level=True)

PRINTED = ["posts/order/", "posts/manager/", "posts/complaints/", "posts/division/", "goals/"]
"""The longest post pages, complaint handling (a flow diagram) and organisation (a chart)."""

HEADINGS = """
return [...document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3, .md-content h4")]
  .map((h) => h.textContent.replace("¶", ""));
"""
DIAGRAMS = r"""
return [...document.querySelectorAll(".hb-org-tree, ol.hb-flow")].map((diagram) => {
  let heading = diagram;
  while (heading && !/^H[1-4]$/.test(heading.tagName)) {
    heading = heading.previousElementSibling || heading.parentElement;
  }
  const nodes = diagram.querySelectorAll(".hb-tree-node, .hb-flow-step");
  // Without a step's number, which pdftotext may read out of line.
  const last = nodes[nodes.length - 1].textContent.replace(/^\s*\d+\.\s*/, "");
  return [heading.textContent.replace("¶", ""), last];
});
"""


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def printed_lines(browser, url: str, tmp_path) -> list[list[str]]:
    """Print ``url`` as the browser's print dialog would; each sheet's non-empty lines,
    top to bottom as printed (-layout: side-by-side boxes share a line)."""
    browser.get(url)
    pdf = tmp_path / "page.pdf"
    result = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    pdf.write_bytes(base64.b64decode(result["data"]))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    sheets = [[squeeze(line) for line in sheet.splitlines()] for sheet in text.split("\f")]
    return [[line for line in sheet if line] for sheet in sheets if any(sheet)]


@pytest.mark.parametrize("path", PRINTED)
def test_printed_pages_carry_name_version_and_page_numbers_and_keep_headings(
    browser, served, tmp_path, path
):
    sheets = printed_lines(browser, served + path, tmp_path)
    headings = {squeeze(text) for text in browser.execute_script(HEADINGS)}
    assert len(sheets) >= 2 and headings
    label = squeeze(f"{HANDBOOK.meta.title}·版本{HANDBOOK.meta.version}")
    for number, lines in enumerate(sheets, start=1):
        where = f"/{path} sheet {number}"
        assert label in lines, f"{where}: no handbook name and version"
        footer = f"第{number}页/共{len(sheets)}页"
        assert footer in lines, f"{where}: no page number"
        content = [line for line in lines if line not in (label, footer)]
        last = content[-1]
        stranded = last in headings or any(
            len(last) >= 4 and heading.endswith(last) for heading in headings
        )
        assert not stranded, f"{where} ends with the heading {last!r}"
    for heading, last_node in browser.execute_script(DIAGRAMS):
        sheet = next(sheet for sheet in sheets if squeeze(heading) in sheet)
        assert squeeze(last_node) in "".join(sheet), f"/{path}: {heading!r}'s diagram moved away"
