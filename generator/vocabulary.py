"""Domain words for Chinese search segmentation, taken from the content.

The search index segments Chinese text with jieba's dictionary (cut by
jieba-rs, or by jieba in Material's own index), which splits trade words such
as 答客词, 得房率 or 秩序维护. User words taken from the handbook's own names and
terms keep them whole in the index.
"""

from __future__ import annotations

import re
from importlib.metadata import distribution
from pathlib import Path

from .model import Handbook

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
