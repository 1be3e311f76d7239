"""Markdown extension: raw HTML blocks the generator marks are passed through unparsed.

Python-Markdown tokenises every tag of raw HTML in a page with Python's
``html.parser`` to find where blocks end. A category of reply scripts holds
thousands of tags written by the generator itself (text escaped by the
``*_html`` filters), so the generator wraps each such block in marker comments
and this preprocessor stores it in the HTML stash whole, as the fenced-code
extension does with code.

Without the extension the markers are plain HTML comments and the block is
ordinary raw HTML: the page comes out the same, only slower. Content text can
never produce a marker line, because the filters escape every ``<``.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

START = "<!-- hb:html -->"
END = "<!-- /hb:html -->"
_BLOCK = re.compile(rf"^{re.escape(START)}\n(.*?)\n{re.escape(END)}$", re.MULTILINE | re.DOTALL)


def without_markers(text: str) -> str:
    """``text`` with the marker lines removed, for engines that run without the extension."""
    return _BLOCK.sub(lambda block: block.group(1), text)


class _StashMarkedBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if START not in text:
            return lines
        text = _BLOCK.sub(lambda block: f"\n{self.md.htmlStash.store(block.group(1))}\n", text)
        return text.split("\n")


class RawHtmlExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After whitespace normalisation (30), before fenced code (25) and raw HTML (20).
        md.preprocessors.register(_StashMarkedBlocks(md), "handbook_raw_html", 28)
