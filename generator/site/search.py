"""A drop-in for the search index of Material's search plugin, fast for large handbooks.

The handbook plugin puts it in place of Material's own index right after the
search plugin is configured (``HandbookPlugin.on_config``); the index it
writes has the same entries and tokens as Material's. Differences:

- Chinese text is cut by jieba-rs (``rjieba``, compiled), set up to cut
  exactly as jieba does with the same words, instead of pure-Python jieba;
- a page's entries are cached by a hash of the page, kept across ``mkdocs
  serve`` rebuilds and saved between builds (``.cache/handbook/search*.json``):
  an unchanged page is neither parsed nor segmented again;
- a page's table of contents is looked up through a dictionary, not a linear
  scan per section, which grew with the square of the scripts on a page;
- the index is written as UTF-8, not with ``\\u`` escapes (one Chinese
  character costs 3 bytes instead of 6).

Depends on Material's ``SearchIndex`` internals (``_find_toc_by_id``,
``_segment_chinese``) and mirrors its ``generate_search_index``;
``pyproject.toml`` pins Material below 10, and the tests and the build-speed
benchmark compare this index with Material's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from backrefs import bre
from material.plugins.search.plugin import SearchIndex

from generator.content.vocabulary import Segmenter

# Material's own pattern for a run of Chinese characters (SearchIndex._segment_chinese).
_HAN_RUN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


class PageCache:
    """Each page's search entries, by a hash of what they are made from, saved between builds.

    A page whose HTML, address, title and metadata are unchanged gets the same
    entries without being parsed and segmented again: every page of a repeated
    build, and all but the edited pages under ``mkdocs serve``. ``identity``
    names the segmenter and Material version; another one starts empty.
    """

    def __init__(self, path: Path, identity: str):
        self.path, self.identity = path, identity
        self.pages: dict[str, list[dict[str, Any]]] = {}
        self.used: set[str] = set()
        self.changed = False
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(saved, dict) and saved.get("identity") == identity:
            pages = saved.get("pages")
            self.pages = pages if isinstance(pages, dict) else {}

    @staticmethod
    def key(page) -> str:
        """A hash of everything Material's index takes from a page."""
        source = [page.url, page.title, page.meta.get("title"), page.meta.get("tags")]
        source += [page.meta.get("search"), page.content]
        text = json.dumps(source, ensure_ascii=False, default=str)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        self.used.add(key)
        entries = self.pages.get(key)
        return entries if isinstance(entries, list) else None

    def put(self, key: str, entries: list[dict[str, Any]]) -> None:
        self.used.add(key)
        self.pages[key] = entries
        self.changed = True

    def end_build(self) -> None:
        """Forget the pages this build did not use: the cache never outgrows one site."""
        used, self.used = self.used, set()
        if len(self.pages) > len(used):
            self.pages = {key: self.pages[key] for key in used if key in self.pages}
            self.changed = True

    def save(self) -> None:
        """Write the cache if it changed; an unwritable cache is skipped."""
        if not self.changed:
            return
        data = {"identity": self.identity, "pages": self.pages}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".part")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(data, file, ensure_ascii=False, separators=(",", ":"), default=str)
            os.chmod(temporary, 0o644)
            os.replace(temporary, self.path)
        except OSError:
            return
        self.changed = False


class CachedSearchIndex(SearchIndex):
    def __init__(self, segmenter: Segmenter, pages: PageCache, **config: Any):
        super().__init__(**config)
        self._segmenter = segmenter
        self._pages = pages
        self._toc_by_id: dict[str, Any] = {}

    def add_entry_from_context(self, page) -> None:
        key = self._pages.key(page)
        cached = self._pages.get(key)
        if cached is not None:
            self.entries.extend(cached)
            return
        self._toc_by_id = {}
        for item in _walk(page.toc):
            # setdefault keeps the first item in document order, as Material's scan does.
            self._toc_by_id.setdefault(item.id, item)
        first = len(self.entries)
        super().add_entry_from_context(page)
        self._pages.put(key, self.entries[first:])

    def _find_toc_by_id(self, toc, id):  # noqa: A002 - Material's signature
        return self._toc_by_id.get(id)

    def _segment_chinese(self, data: str) -> str:
        """Material's segmentation, by the segmenter.

        Same output as ``SearchIndex._segment_chinese``: every run cut as by jieba,
        words joined and surrounded by U+200B, the ends stripped.
        """
        return _HAN_RUN.sub(self._segment_run, data).strip("\u200b")

    def _segment_run(self, match) -> str:
        return f"\u200b{self._segmenter.cut(match.group(0))}\u200b"

    def generate_search_index(self, prev) -> str:
        """Material's ``generate_search_index``, written as UTF-8 rather than ``\\u`` escapes.

        Mirrors Material 9's method instead of re-reading its output, which cost a
        copy of the whole index in memory. Under ``mkdocs serve --dirty``, ``prev``
        holds the previous index and keeps the entries of the pages not rebuilt.
        """
        if prev and self.entries:
            page = self.entries[0]["location"]
            kept = [entry for entry in prev.entries if not entry["location"].startswith(page)]
            self.entries = kept + self.entries
        elif prev:
            self.entries = prev.entries
        config = {key: self.config[key] for key in ("lang", "separator", "pipeline", "fields")}
        data = {"config": config, "docs": self.entries}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
