"""A drop-in for the search index of Material's search plugin, fast for large handbooks.

The handbook plugin puts it in place of Material's own index right after the
search plugin is configured (``HandbookPlugin.on_config``); the index it
writes has the same entries and tokens as Material's. Differences:

- Chinese text is segmented once: results are cached by the text's hash,
  kept across ``mkdocs serve`` rebuilds and saved between builds
  (``.cache/handbook/segments.json``) for the same jieba dictionary;
- a page's table of contents is looked up through a dictionary, not a linear
  scan per section, which grew with the square of the scripts on a page;
- the index is written as UTF-8, not with ``\\u`` escapes (one Chinese
  character costs 3 bytes instead of 6).

Depends on Material's ``SearchIndex`` internals (``_find_toc_by_id``,
``_segment_chinese``); ``pyproject.toml`` pins Material below 10 and the
tests compare this index with Material's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import jieba
from backrefs import bre
from material.plugins.search.plugin import SearchIndex

# Material's own pattern for a run of Chinese characters (SearchIndex._segment_chinese).
_HAN_RUN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


class SegmentCache:
    """Segmented text by the text's hash, for one jieba dictionary, saved between builds."""

    def __init__(self, path: Path, dictionary: str):
        self.path, self.dictionary = path, dictionary
        self.entries: dict[str, str] = {}
        self.used: set[str] = set()
        self.changed = False
        self.runs: dict[str, str] = {}
        """Segmented runs of Chinese characters: clauses such as 您好 recur across scripts."""
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(saved, dict) and saved.get("dictionary") == dictionary:
            self.entries = saved.get("segments", {})

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> str | None:
        key = self.key(text)
        self.used.add(key)
        return self.entries.get(key)

    def put(self, text: str, segmented: str) -> None:
        key = self.key(text)
        self.used.add(key)
        self.entries[key] = segmented
        self.changed = True

    def save(self) -> None:
        """Write what this build used, if anything changed; an unwritable cache is skipped.

        Keeping only the entries of the last build stops the file from growing forever.
        """
        used, self.used = self.used, set()
        if not (self.changed or len(self.entries) > len(used)):
            return
        self.entries = {key: self.entries[key] for key in used if key in self.entries}
        data = {"dictionary": self.dictionary, "segments": self.entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".part")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(data, file, ensure_ascii=False, separators=(",", ":"))
            os.chmod(temporary, 0o644)
            os.replace(temporary, self.path)
        except OSError:
            return
        self.changed = False


class CachedSearchIndex(SearchIndex):
    def __init__(self, segments: SegmentCache, **config: Any):
        super().__init__(**config)
        self._segments = segments
        self._toc_by_id: dict[str, Any] = {}

    def add_entry_from_context(self, page) -> None:
        self._toc_by_id = {}
        for item in _walk(page.toc):
            # setdefault keeps the first item in document order, as Material's scan does.
            self._toc_by_id.setdefault(item.id, item)
        super().add_entry_from_context(page)

    def _find_toc_by_id(self, toc, id):  # noqa: A002 - Material's signature
        return self._toc_by_id.get(id)

    def _segment_chinese(self, data: str) -> str:
        """Material's segmentation, with each section and each Chinese run cut only once.

        Same output as ``SearchIndex._segment_chinese``: every run cut by jieba,
        words joined and surrounded by U+200B, the ends stripped.
        """
        cached = self._segments.get(data)
        if cached is None:
            cached = _HAN_RUN.sub(self._segment_run, data).strip("\u200b")
            self._segments.put(data, cached)
        return cached

    def _segment_run(self, match) -> str:
        run = match.group(0)
        words = self._segments.runs.get(run)
        if words is None:
            words = self._segments.runs[run] = "\u200b".join(jieba.cut(run))
        return f"\u200b{words}\u200b"

    def generate_search_index(self, prev) -> str:
        data = json.loads(super().generate_search_index(prev))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
