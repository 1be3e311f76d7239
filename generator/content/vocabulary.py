"""Domain words for Chinese search segmentation, taken from the content, and the segmenter.

The search index segments Chinese text with jieba's dictionary (cut by
jieba-rs, or by jieba in Material's own index), which splits trade words such
as 答客词, 得房率 or 秩序维护. User words taken from the handbook's own names and
terms keep them whole in the index. ``SEGMENTER`` is the one cut every stage
uses: the consistency checks, the answer index and Material's search index.
"""

from __future__ import annotations

import hashlib
import re
from importlib.metadata import distribution, version
from pathlib import Path

import rjieba

from generator.model import Handbook

# jieba keeps a user word whole when its frequency outweighs the split.
WORD_FREQUENCY = 50_000
_WORD = re.compile(r"^[^\s]{2,16}$")


def domain_words(handbook: Handbook) -> list[str]:
    """Names and terms of the handbook, deduplicated, in a stable order."""
    words = [term.term for term in handbook.glossary.terms]
    words += [post.name for post in handbook.posts]
    words += [post.name.removesuffix("岗") for post in handbook.posts]
    words += [line.name for line in handbook.norms.lines]
    words += [unit.name for unit in handbook.organisation.organisation.units]
    words += [category.name for category in handbook.categories.categories]
    words += [tag for script in handbook.scripts for tag in script.tags]
    words += [fact.label for fact in handbook.project.facts]
    return sorted({word for word in words if _WORD.match(word) and not word.isascii()})


def user_dictionary(words: list[str]) -> str:
    """jieba user-dictionary text: one ``word frequency`` line per word."""
    return "".join(f"{word} {WORD_FREQUENCY}\n" for word in words)


def jieba_dictionary() -> Path:
    """jieba's main dictionary, ``word frequency tag`` per line.

    Located through the package metadata, not an import: it is data here, and the
    search benchmark's stock build blocks importing jieba.
    """
    return Path(str(distribution("jieba").locate_file("jieba/dict.txt")))


class Segmenter:
    """jieba's cut of a run of Chinese characters, done by jieba-rs.

    jieba-rs ships jieba's own dictionary. One difference remains: when a user
    word is added, jieba adds its frequency to the dictionary's total, while
    jieba-rs first subtracts the frequency the word already had. The total
    weighs every route through a sentence, so it is put back here (on a word
    no Chinese text contains) and both cut alike. ``tests/test_search.py``
    compares the whole index with Material's, which uses jieba.

    It works on rjieba's process-wide dictionary, which rjieba loads on import
    (another copy would cost some 30 MB), so there is one ``SEGMENTER``. Words
    are only ever added: a word dropped from the content stays until the
    process ends, and ``identity`` names every word added so far.
    """

    TOTAL_ADJUSTMENT = "handbook-total-adjustment"

    def __init__(self) -> None:
        self.words: set[str] = set()
        self._adjustment = 0
        self._runs: dict[str, str] = {}
        """Cut runs: clauses such as 您好 recur across scripts."""

    def add_words(self, words: list[str], frequency: int) -> None:
        new = set(words) - self.words
        if not new:
            return
        for word in sorted(new):
            rjieba.add_word(word, frequency, None)
        self._adjustment += sum(_jieba_frequencies(new).values())
        if self._adjustment:
            rjieba.add_word(self.TOTAL_ADJUSTMENT, self._adjustment, None)
        self.words |= new
        self._runs.clear()

    @property
    def identity(self) -> str:
        """What decides how text is cut: the versions and the words added."""
        digest = hashlib.sha1("\n".join(sorted(self.words)).encode("utf-8")).hexdigest()
        return f"rjieba {version('rjieba')}, jieba {version('jieba')}, words {digest}"

    def cut(self, run: str) -> str:
        """The words of ``run`` joined by U+200B."""
        words = self._runs.get(run)
        if words is None:
            words = self._runs[run] = "\u200b".join(rjieba.cut(run))
        return words


SEGMENTER = Segmenter()


def _jieba_frequencies(words: set[str]) -> dict[str, int]:
    """The frequencies jieba's main dictionary gives to any of ``words``."""
    found = {}
    with jieba_dictionary().open(encoding="utf-8") as dictionary:
        for line in dictionary:
            word, frequency = line.split(" ", 2)[:2]
            if word in words:
                found[word] = int(frequency)
    return found
