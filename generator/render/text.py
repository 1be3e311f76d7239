"""Turn content text into safe Markdown, or safe HTML for raw HTML blocks.

Content is text, never code: every ASCII punctuation character is
backslash-escaped (Python-Markdown's ``pymdownx.escapeall`` turns ``\\<`` into
``&lt;`` and keeps ``\\*`` literal), so HTML, Markdown and Jinja typed into
YAML shows exactly as typed. The only substitutions are references
(``{fact:id}``, ``{std:id}``, ``{role:id}``, ``{task:id}``, see
:mod:`generator.content.references`); glossary terms and the handbook's own names for
roles become ``<abbr>`` tooltips in body text.

Pages with thousands of reply scripts put each script's body in raw HTML
blocks, which Markdown passes through without inline processing; the
``*_html`` variants escape for HTML instead and give the same page.
"""

from __future__ import annotations

import html
import json
import re
import string
from collections.abc import Callable, Iterable, Iterator

from generator.content.references import REFERENCE, Definitions
from generator.model import Fact, OrgUnit, Standard, Task, Term

_PUNCTUATION = frozenset(string.punctuation)


def escape_markdown(text: str) -> str:
    """Make ``text`` literal in Markdown (with ``pymdownx.escapeall``)."""
    escaped = "".join("\\" + char if char in _PUNCTUATION else char for char in text)
    return escaped.replace("\n", "<br>")


def escape_html(text: str) -> str:
    """Make ``text`` literal inside a raw HTML block; line breaks as in ``escape_markdown``."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def escape_attribute(text: str) -> str:
    """``text`` as an attribute value that stays text wherever it lands.

    Every ASCII punctuation character is written as a numeric reference, so
    neither the attribute, Markdown (a ``|`` ending a table cell) nor raw HTML
    can read anything in it as markup; the browser shows the value as typed.
    Tooltips show it as text (``docs/assets/handbook.js``); the theme's own
    tooltips, which would render it as HTML, are refused by the plugin.
    """
    return "".join(f"&#{ord(char)};" if char in _PUNCTUATION else char for char in text)


TODO_HINT = "本项目信息尚未登记,请向案场主管确认后再答复客户"
"""What staff read on an empty fact; the file and key are for ``handbook check``."""

GENERIC_HINT = "通用版：按本案场公布的信息告知客户"
"""The tooltip of a fact in the 通用版, which no centre's facts fill."""

_LABEL_NOTE = re.compile(r"（[^（）]*）$")


def generic_fact(label: str) -> str:
    """How the 通用版 reads a fact: a neutral instruction naming it, e.g.
    〔访客停车安排：以本案场公布为准〕 (a trailing note to editors in brackets dropped)."""
    return f"〔{_LABEL_NOTE.sub('', label)}：以本案场公布为准〕"


class TextFormatter:
    """Formats content strings for pages, knowing the references and the glossary."""

    def __init__(
        self,
        facts: Iterable[Fact],
        terms: Iterable[Term] = (),
        *,
        standards: Iterable[Standard] = (),
        roles: Iterable[OrgUnit] = (),
        tasks: Iterable[Task] = (),
        generic: bool = False,
    ):
        self.generic = generic
        self.facts = {fact.id: fact for fact in facts}
        self.standards = {std.id: std for std in standards}
        roles = list(roles)
        self.definitions = Definitions()
        self.definitions.add("fact", [(f.id, f.value, f.label) for f in self.facts.values()])
        self.definitions.add("std", [(s.id, s.text, s.label) for s in self.standards.values()])
        self.definitions.add("role", [(r.id, r.name, r.name) for r in roles])
        self.definitions.add("task", [(t.id, t.name, t.name) for t in tasks])
        self.terms = {term.term: term.definition for term in terms}
        if self.terms or roles:
            # The handbook's own name for a role points the reader at the chart.
            for role in roles:
                for alias in role.aliases:
                    self.terms.setdefault(alias, f"手册原称，即组织架构中的“{role.name}”")
        alternatives = [REFERENCE.pattern]
        alternatives += [re.escape(term) for term in sorted(self.terms, key=len, reverse=True)]
        self._pattern = re.compile("|".join(alternatives))

    @classmethod
    def for_handbook(cls, handbook: object, *, glossary: bool = True) -> TextFormatter:
        """The formatter for a loaded :class:`~generator.model.Handbook`."""
        return cls(
            handbook.project.facts,
            handbook.glossary.terms if glossary else (),
            standards=handbook.standards.standards,
            roles=handbook.roles,
            tasks=handbook.tasks.tasks,
            generic=handbook.centre is None,
        )

    def plain_value(self, text: str) -> str:
        """Text with references filled in (empty facts marked 待填写), unescaped."""
        return REFERENCE.sub(self._value_or_todo, text)

    def plain_html(self, text: str) -> str:
        """Text with references filled in, escaped for raw HTML (no Markdown processing)."""
        return html.escape(self.plain_value(text), quote=True)

    def plain(self, text: str) -> str:
        """Text with references filled in, as plain literal Markdown (for headings)."""
        return escape_markdown(self.plain_value(text))

    def rich(self, text: str) -> str:
        """Body text: references filled in or marked 待填写, glossary terms as tooltips."""
        return self._rich(text, escape_markdown)

    def rich_html(self, text: str) -> str:
        """``rich`` for a raw HTML block."""
        return self._rich(text, escape_html)

    def _rich(self, text: str, escape: Callable[[str], str]) -> str:
        parts, position = [], 0
        for match in self._pattern.finditer(text):
            parts.append(escape(text[position : match.start()]))
            parts.append(self._replacement(match, escape))
            position = match.end()
        parts.append(escape(text[position:]))
        return "".join(parts)

    def _value_or_todo(self, match: re.Match[str]) -> str:
        kind, entry_id = match.group(1), match.group(2)
        target = self.definitions.get(kind, entry_id)
        if target is None:
            return match.group(0)
        if kind == "std":
            return REFERENCE.sub(self._value_or_todo, target.text)
        if target.text:
            return target.text
        return generic_fact(target.label) if self.generic else f"(待填写:{target.label})"

    def _replacement(self, match: re.Match[str], escape: Callable[[str], str]) -> str:
        if match.group(1) is None:
            term = match.group(0)
            return f'<abbr title="{escape_attribute(self.terms[term])}">{escape(term)}</abbr>'
        kind, entry_id = match.group(1), match.group(2)
        target = self.definitions.get(kind, entry_id)
        if target is None:
            return escape(match.group(0))
        if kind == "std":
            inner = "".join(
                self._replacement(m, escape) if m.group(1) else escape(m.group(0))
                for m in _pieces(target.text)
            )
            title = escape_attribute(f"服务标准：{target.label}")
            return f'<span class="hb-std" title="{title}">{inner}</span>'
        if target.text:
            return escape(target.text)
        if self.generic:
            title = escape_attribute(GENERIC_HINT)
            return f'<span class="hb-generic" title="{title}">{escape(generic_fact(target.label))}</span>'
        return f'<span class="hb-todo" title="{TODO_HINT}">待填写:{escape(target.label)}</span>'


_PIECES = re.compile(REFERENCE.pattern + r"|[^{]+|\{")


def _pieces(text: str) -> Iterator[re.Match[str]]:
    """``text`` cut into references (group 1 set) and the plain runs between them."""
    return _PIECES.finditer(text)


def escape_css_string(text: str) -> str:
    """Content for a double-quoted CSS string inside a ``<style>`` element."""
    return "".join(
        f"\\{ord(char):x} " if char in '"\\<>&' or ord(char) < 0x20 else char for char in text
    )


def javascript_data(global_name: str, data: object) -> str:
    """A script file that sets ``window.<global_name>`` to ``data``: loadable from
    ``file://`` too, where a fetch of JSON is refused."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</" is escaped so no content can close a surrounding <script> element.
    return f"window.{global_name} = " + text.replace("</", "<\\/") + ";\n"
