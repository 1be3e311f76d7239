"""Turn content text into safe Markdown.

Content is text, never code: every ASCII punctuation character is
backslash-escaped (Python-Markdown's ``pymdownx.escapeall`` turns ``\\<`` into
``&lt;`` and keeps ``\\*`` literal), so HTML, Markdown and Jinja typed into
YAML shows exactly as typed. The only substitution is a project fact,
``{fact:id}``; glossary terms become ``<abbr>`` tooltips in body text.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable

from .model import FACT_REFERENCE, Fact, Term

_PUNCTUATION = frozenset(string.punctuation)


def escape_markdown(text: str) -> str:
    """Make ``text`` literal in Markdown (with ``pymdownx.escapeall``)."""
    escaped = "".join("\\" + char if char in _PUNCTUATION else char for char in text)
    return escaped.replace("\n", "<br>")


def escape_attribute(text: str) -> str:
    return html.escape(text, quote=True)


class TextFormatter:
    """Formats content strings for pages, knowing the facts and the glossary."""

    def __init__(self, facts: Iterable[Fact], terms: Iterable[Term] = ()):
        self.facts = {fact.id: fact for fact in facts}
        self.terms = {term.term: term.definition for term in terms}
        alternatives = [FACT_REFERENCE.pattern]
        alternatives += [re.escape(term) for term in sorted(self.terms, key=len, reverse=True)]
        self._pattern = re.compile("|".join(alternatives))

    def plain_value(self, text: str) -> str:
        """Text with facts filled in (or marked 待填写), unescaped."""
        return FACT_REFERENCE.sub(self._fact_value_or_todo, text)

    def plain_html(self, text: str) -> str:
        """Text with facts filled in, escaped for raw HTML (no Markdown processing)."""
        return html.escape(self.plain_value(text), quote=True)

    def plain(self, text: str) -> str:
        """Text with facts filled in, as plain literal Markdown (for headings)."""
        return escape_markdown(self.plain_value(text))

    def rich(self, text: str) -> str:
        """Body text: facts filled in or marked 待填写, glossary terms as tooltips."""
        parts, position = [], 0
        for match in self._pattern.finditer(text):
            parts.append(escape_markdown(text[position : match.start()]))
            parts.append(self._replacement(match))
            position = match.end()
        parts.append(escape_markdown(text[position:]))
        return "".join(parts)

    def _fact_value_or_todo(self, match: re.Match[str]) -> str:
        fact = self.facts.get(match.group(1))
        if fact is None:
            return match.group(0)
        return fact.value or f"(待填写:{fact.label})"

    def _replacement(self, match: re.Match[str]) -> str:
        if match.group(1) is None:
            term = match.group(0)
            return (
                f'<abbr title="{escape_attribute(self.terms[term])}">{escape_markdown(term)}</abbr>'
            )
        fact = self.facts.get(match.group(1))
        if fact is None:
            return escape_markdown(match.group(0))
        if fact.value:
            return escape_markdown(fact.value)
        return (
            f'<span class="hb-todo" title="项目信息待填写:content/project.yml → {fact.id}">'
            f"待填写:{escape_markdown(fact.label)}</span>"
        )


def escape_css_string(text: str) -> str:
    """Content for a double-quoted CSS string inside a ``<style>`` element."""
    return "".join(
        f"\\{ord(char):x} " if char in '"\\<>&' or ord(char) < 0x20 else char for char in text
    )
