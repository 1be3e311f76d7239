"""A drop-in for the search index of Material's search plugin, fast for large handbooks.

The handbook plugin puts it in place of Material's own index right after the
search plugin is configured (``HandbookPlugin.on_config``); the index it
writes has the same entries and tokens as Material's. Differences:

- Chinese runs are segmented once: results are cached by text, and the cache
  lives as long as the plugin (across ``mkdocs serve`` rebuilds);
- a page's table of contents is looked up through a dictionary, not a linear
  scan per section, which grew with the square of the scripts on a page;
- the index is written as UTF-8, not with ``\\u`` escapes (one Chinese
  character costs 3 bytes instead of 6).

Depends on Material's ``SearchIndex`` internals (``_find_toc_by_id``,
``_segment_chinese``); ``pyproject.toml`` pins Material below 10 and the
tests compare this index with Material's own.
"""

from __future__ import annotations

import json
from typing import Any

from material.plugins.search.plugin import SearchIndex


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


class CachedSearchIndex(SearchIndex):
    def __init__(self, segments: dict[str, str], **config: Any):
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
        cached = self._segments.get(data)
        if cached is None:
            cached = self._segments[data] = super()._segment_chinese(data)
        return cached

    def generate_search_index(self, prev) -> str:
        data = json.loads(super().generate_search_index(prev))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
