"""The one validator that ``handbook check`` and the build share.

Loading checks each file and the references between files; this adds what only
the page plan knows: two things the site would write to the same path (a post
with the id ``index`` over the all-posts checklist, say). Each clash is
located at the id to change.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator import pages
from generator.content.load import LoadResult, load_handbook
from generator.content.yamlfile import YamlDocument
from generator.errors import Problem


def validate(content_dir: Path) -> LoadResult:
    result = load_handbook(content_dir)
    if not result.ok:
        return result
    clashes = pages.clashes(result.handbook, pages.plan(result.handbook))
    if not clashes:
        return result
    problems = [*result.problems, *(_located(result, clash) for clash in clashes)]
    return replace(result, problems=problems)


def _located(result: LoadResult, clash: pages.Clash) -> Problem:
    message = (
        f"{clash.origin} would write {clash.path}, which is also {clash.other}; choose another id"
    )
    document, loc = _where_defined(result.documents, clash.origin)
    return document.problem(loc, message)


def _where_defined(
    documents: dict[str, YamlDocument], origin: pages.Origin
) -> tuple[YamlDocument, tuple[str | int, ...]]:
    """The file and field that define ``origin``'s id."""
    if origin.kind == "category":
        document = documents["scripts/categories.yml"]
        ids = [category.get("id") for category in document.data["categories"]]
        return document, ("categories", ids.index(origin.id), "id")
    for name, document in documents.items():
        if name.startswith("posts/") and document.data.get("id") == origin.id:
            return document, ("id",)
    raise LookupError(origin)  # the plan only names posts and categories that were loaded
