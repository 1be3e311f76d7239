"""Sales centres: the base handbook (``content/``) with one centre's facts and additions.

Each centre is a folder ``projects/<id>/`` holding ``centre.yml``
(:class:`~generator.model.CentreFile`): its name, the values of the facts that
``content/project.yml`` defines, and optionally supplement items it adds,
replaces or hides by id. The overlay is validated with the same models and
located errors as the base; problems name the overlay file. The handbook's own
text (``source: handbook``) can be neither replaced nor hidden, and everything a
centre writes is supplement.

A centre with a fact left without a value is not published: its build fails
with the missing facts, located in ``centre.yml``, and the scripts they leave
unsayable, unless it is built as a draft (every page then says 草稿).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import model, pages
from generator.content import references
from generator.content.load import LoadedFile, LoadResult, definitions_of, load_file, walk_sourced
from generator.content.validate import validate
from generator.errors import TODO, Problem, Severity, errors_of

PROJECTS_DIR = "projects"
"""Folder of the centres, beside ``content/``."""
CENTRE_FILE = "centre.yml"
MISSING_FACT = "missing-fact"
"""Problem kind of a fact a centre has not filled (an error unless built as a draft)."""


def centre_ids(projects_dir: Path) -> list[str]:
    """The centres under ``projects_dir``: every folder holding a ``centre.yml``."""
    if not projects_dir.is_dir():
        return []
    return sorted(
        folder.name
        for folder in projects_dir.iterdir()
        if folder.is_dir() and (folder / CENTRE_FILE).exists()
    )


# --- the base, loaded once for many centres ----------------------------------

_PRELOADED: dict[Path, LoadResult] = {}


def preload(content_dir: Path) -> LoadResult:
    """Validate the base once; later ``base`` calls in this process (and in worker
    processes forked after this) reuse it instead of reading the content again."""
    result = _PRELOADED[content_dir.resolve()] = validate(content_dir)
    return result


def base(content_dir: Path) -> LoadResult:
    """The validated base: preloaded when a many-centre build loaded it, else read now."""
    preloaded = _PRELOADED.get(content_dir.resolve())
    return preloaded if preloaded is not None else validate(content_dir)


def edition(
    content_dir: Path, projects_dir: Path, centre_id: str | None, *, draft: bool = False
) -> LoadResult:
    """What a site is built from: the base (the 通用版) or one centre's handbook."""
    result = base(content_dir)
    if centre_id is None or not result.ok:
        return result
    return load_centre(result, projects_dir, centre_id, draft=draft)


# --- how a centre's site says which centre it is ----------------------------


def site_title(handbook: model.Handbook) -> str:
    """The handbook's title, after the centre's name on a centre's site."""
    centre = handbook.centre
    # The centre first: a phone's header shows only the start of the title.
    return handbook.meta.title if centre is None else f"{centre.name} · {handbook.meta.title}"


def edition_mark(centre: model.Centre | None) -> str:
    """The word every page and printed sheet carries: 草稿, 示例, or none for a real site."""
    if centre is None:
        return ""
    return " · ".join(word for word, on in (("示例", centre.example), ("草稿", centre.draft)) if on)


# --- one centre ------------------------------------------------------------


@dataclass
class _Overlay:
    """A centre's validated file and what loading it found."""

    loaded: LoadedFile
    problems: list[Problem] = field(default_factory=list)

    def error(self, loc: tuple, message: str, *, at_key: bool = False) -> None:
        self.problems.append(self.loaded.document.problem(loc, message, at_key=at_key))


def load_centre(
    base_result: LoadResult, projects_dir: Path, centre_id: str, *, draft: bool = False
) -> LoadResult:
    """The base with centre ``centre_id``'s overlay applied, or its located problems.

    Missing facts are errors, or warnings with ``draft`` (the site then says 草稿).
    """
    problems: list[Problem] = []
    folder = projects_dir / centre_id
    if not re.fullmatch(model.ID_PATTERN, centre_id) or not (folder / CENTRE_FILE).exists():
        known = ", ".join(centre_ids(projects_dir)) or "none"
        shown = (folder / CENTRE_FILE).as_posix()
        return LoadResult(
            None, [Problem(shown, 1, 1, "", f"no centre '{centre_id}' (centres: {known})")]
        )
    loaded, _document = load_file(folder / CENTRE_FILE, projects_dir, model.CentreFile, problems)
    if loaded is None:
        return LoadResult(None, problems)
    overlay = _Overlay(loaded)
    handbook = _apply(base_result.handbook, overlay)
    missing = list(_missing_facts(handbook, overlay, draft=draft))
    problems = [*overlay.problems, *missing]
    if errors_of(problems):
        return LoadResult(None, problems)
    centre = model.Centre(
        id=centre_id,
        name=loaded.value.name,
        example=loaded.value.example,
        draft=bool(missing),
    )
    handbook = model.Handbook.model_construct(**{**_fields(handbook), "centre": centre})
    kept = [p for p in base_result.problems if p.kind != TODO]
    return LoadResult(handbook, [*kept, *problems], base_result.documents)


def _fields(handbook: model.Handbook) -> dict:
    return {name: getattr(handbook, name) for name in model.Handbook.model_fields}


def _apply(handbook: model.Handbook, overlay: _Overlay) -> model.Handbook:
    """The base with the overlay's facts and items; each refusal is a located problem."""
    centre = overlay.loaded.value
    _supplement_only(overlay)
    facts = {fact.id: fact for fact in handbook.project.facts}
    for fact_id in centre.facts:
        if fact_id not in facts:
            overlay.error(
                ("facts", fact_id),
                f"no fact '{fact_id}' in content/project.yml ({', '.join(facts)})",
                at_key=True,
            )
    project = model.ProjectFile.model_construct(
        facts=[
            fact.model_copy(update={"value": centre.facts.get(fact.id, fact.value)})
            for fact in handbook.project.facts
        ]
    )

    categories = list(handbook.categories.categories)
    base_categories = {category.id for category in categories}
    for index, category in enumerate(centre.add.categories):
        if category.id in base_categories:
            overlay.error(
                ("add", "categories", index, "id"),
                f"the base already has category '{category.id}'; choose another id",
            )
        else:
            categories.append(category)
            base_categories.add(category.id)

    scripts = _replaced(
        overlay,
        "script",
        handbook.scripts,
        added=_located("add", "scripts", centre.add.scripts),
        replacing=_located("replace", "scripts", centre.replace.scripts),
        hidden=_located("hide", "scripts", centre.hide.scripts, by_id=False),
    )
    for section in ("add", "replace"):
        for index, script in enumerate(getattr(centre, section).scripts):
            if script.category not in base_categories:
                overlay.error(
                    (section, "scripts", index, "category"),
                    f"no category '{script.category}' in scripts/categories.yml or add.categories",
                )

    posts = [_post_with_overlay(post, overlay) for post in handbook.posts]
    post_ids = {post.id for post in handbook.posts}
    for section in ("add", "replace"):
        for index, procedure in enumerate(getattr(centre, section).procedures):
            if procedure.post not in post_ids:
                overlay.error(
                    (section, "procedures", index, "post"), f"no post with id '{procedure.post}'"
                )
    for index, hidden in enumerate(centre.hide.procedures):
        if hidden.post not in post_ids:
            overlay.error(("hide", "procedures", index, "post"), f"no post '{hidden.post}'")
    _hidden_procedures_unused(handbook, overlay)

    standards = _replaced(
        overlay,
        "standard",
        handbook.standards.standards,
        replacing=_located("replace", "standards", centre.replace.standards),
    )
    merged = model.Handbook.model_construct(
        **{
            **_fields(handbook),
            "project": project,
            "categories": handbook.categories.model_copy(update={"categories": categories}),
            "scripts": scripts,
            "posts": posts,
            "standards": handbook.standards.model_copy(update={"standards": standards}),
        }
    )
    _check_references(merged, overlay)
    for clash in pages.clashes(merged, pages.plan(merged)):
        added = [c.id for c in centre.add.categories]
        if clash.origin.kind == "category" and clash.origin.id in added:
            overlay.error(
                ("add", "categories", added.index(clash.origin.id), "id"),
                f"{clash.origin} would write {clash.path}, which is also {clash.other}; "
                "choose another id",
            )
    return merged


Located = list[tuple[tuple, object]]
"""Overlay entries with the location of their id: ``[(loc, item or id), …]``."""


def _located(section: str, kind: str, entries: Iterable, *, by_id: bool = True) -> Located:
    return [
        ((section, kind, index, *(("id",) if by_id else ())), entry)
        for index, entry in enumerate(entries)
    ]


def _replaced(
    overlay: _Overlay,
    noun: str,
    items: Iterable,
    *,
    added: Located = (),
    replacing: Located = (),
    hidden: Located = (),
) -> list:
    """``items`` with ``replacing`` in place of the items of the same id, ``hidden`` left
    out and ``added`` appended; the base items replaced or hidden must be supplement."""
    items = list(items)
    by_id = {item.id: item for item in items}

    def touchable(loc: tuple, item_id: str, verb: str) -> bool:
        item = by_id.get(item_id)
        if item is None:
            overlay.error(loc, f"no {noun} '{item_id}' in the base to {verb}")
        elif item.source is model.Source.handbook:
            overlay.error(
                loc,
                f"{noun} '{item_id}' is the handbook's own text (source: handbook); "
                f"a centre cannot {verb} it",
            )
        else:
            return True
        return False

    replacements = {item.id: item for loc, item in replacing if touchable(loc, item.id, "replace")}
    gone = {item_id for loc, item_id in hidden if touchable(loc, item_id, "hide")}
    result = [replacements.get(item.id, item) for item in items if item.id not in gone]
    for loc, item in added:
        if item.id in by_id:
            overlay.error(
                loc,
                f"the base already has {noun} '{item.id}'; list it under replace to put "
                "this one in its place, or choose another id",
            )
        else:
            result.append(item)
            by_id[item.id] = item
    return result


def _as_procedure(procedure: model.CentreProcedure) -> model.Procedure:
    return model.Procedure.model_construct(
        **{name: getattr(procedure, name) for name in model.Procedure.model_fields}
    )


def _post_with_overlay(post: model.PostFile, overlay: _Overlay) -> model.PostFile:
    centre = overlay.loaded.value

    def of_post(section: str, entries: Iterable[model.CentreProcedure]) -> Located:
        return [
            (loc, _as_procedure(entry))
            for loc, entry in _located(section, "procedures", entries)
            if entry.post == post.id
        ]

    added = of_post("add", centre.add.procedures)
    replacing = of_post("replace", centre.replace.procedures)
    hidden = [
        ((*loc, "id"), entry.id)
        for loc, entry in _located("hide", "procedures", centre.hide.procedures, by_id=False)
        if entry.post == post.id
    ]
    if not (added or replacing or hidden):
        return post
    procedures = _replaced(
        overlay,
        f"procedure of post '{post.id}'",
        post.procedures,
        added=added,
        replacing=replacing,
        hidden=hidden,
    )
    return post.model_copy(update={"procedures": procedures})


def _supplement_only(overlay: _Overlay) -> None:
    """Everything a centre writes is supplement: it never speaks as the handbook."""
    data = overlay.loaded.document.data
    for section in ("add", "replace"):
        for loc, text, _source in walk_sourced(data.get(section), (section,)):
            if loc[-1] == "source" and text == model.Source.handbook.value:
                overlay.error(
                    loc,
                    "a centre's text is written for its site: source must be supplement "
                    "(the handbook's own text lives only in content/)",
                )


def _hidden_procedures_unused(handbook: model.Handbook, overlay: _Overlay) -> None:
    """A hidden procedure must not be where a first-week path or a revision note points."""
    pointers = [
        (f"the first-week path of '{path.post}'", step.read)
        for path in handbook.paths
        for day in path.days
        for step in day.steps
        if step.read is not None
    ]
    pointers += [
        (f"revision {revision.version}", target)
        for revision in handbook.revisions.revisions
        for change in revision.changes
        for target in change.where
    ]
    for index, hidden in enumerate(overlay.loaded.value.hide.procedures):
        for who, target in pointers:
            if (target.post, target.section) == (hidden.post, hidden.id):
                overlay.error(
                    ("hide", "procedures", index),
                    f"{who} points at procedure '{hidden.id}'; it cannot be hidden",
                )


def _check_references(handbook: model.Handbook, overlay: _Overlay) -> None:
    """Every ``{kind:id}`` in the overlay's items names something the centre's handbook has."""
    definitions = definitions_of(handbook)
    data = overlay.loaded.document.data
    for section in ("add", "replace"):
        for loc, text, _source in walk_sourced(data.get(section), (section,)):
            for kind, entry_id in references.unknown(definitions, text):
                overlay.error(loc, references.unknown_message(kind, entry_id))
            if loc[1:2] == ("standards",) and references.ids_in(text, "std"):
                overlay.error(loc, "a standard's wording cannot name another standard")


# --- completeness ----------------------------------------------------------


def fact_users(handbook: model.Handbook) -> dict[str, list[str]]:
    """Fact id → the ids of the scripts whose text names it (directly or via a standard)."""
    standards = {std.id: std.text for std in handbook.standards.standards}
    users: dict[str, list[str]] = {}
    for script in handbook.scripts:
        texts = [script.question, script.reply, *script.phrasings, *script.notes]
        named = set()
        for text in texts:
            named.update(references.ids_in(text, "fact"))
            for std_id in references.ids_in(text, "std"):
                named.update(references.ids_in(standards.get(std_id, ""), "fact"))
        for fact_id in sorted(named):
            users.setdefault(fact_id, []).append(script.id)
    return users


def _missing_facts(
    handbook: model.Handbook, overlay: _Overlay, *, draft: bool
) -> Iterator[Problem]:
    users = fact_users(handbook)
    document = overlay.loaded.document
    for fact in handbook.project.facts:
        if fact.value:
            continue
        scripts = users.get(fact.id, [])
        unsayable = f"; leaves unsayable: {', '.join(scripts)}" if scripts else ""
        yield document.problem(
            ("facts",),
            f"待填写: fact '{fact.id}' ({fact.label}) has no value for this centre{unsayable}",
            at_key=True,
            severity=Severity.warning if draft else Severity.error,
            kind=MISSING_FACT,
        )


@dataclass(frozen=True)
class Completeness:
    """How far a centre has filled the base's facts, and what it changes."""

    centre_id: str
    name: str
    filled: int
    total: int
    unsayable: tuple[str, ...]
    errors: int
    added: int = 0
    replaced: int = 0
    hidden: int = 0


def completeness(
    base_result: LoadResult, projects_dir: Path, centre_id: str
) -> tuple[Completeness, list[Problem]]:
    """A centre's completeness and every problem of its overlay (missing facts as errors)."""
    draft = load_centre(base_result, projects_dir, centre_id, draft=True)
    problems = [
        replace(p, severity=Severity.error) if p.kind == MISSING_FACT else p
        for p in draft.problems
        if p not in base_result.problems
    ]
    errors = len(errors_of(problems))
    if draft.handbook is None:
        return Completeness(centre_id, "", 0, 0, (), errors), problems
    facts = draft.handbook.project.facts
    users = fact_users(draft.handbook)
    empty = [fact.id for fact in facts if not fact.value]
    centre = load_file(projects_dir / centre_id / CENTRE_FILE, projects_dir, model.CentreFile, [])
    overlay = centre[0].value

    def count(items) -> int:
        return len(items.scripts) + len(items.procedures)

    return (
        Completeness(
            centre_id,
            draft.handbook.centre.name,
            len(facts) - len(empty),
            len(facts),
            tuple(dict.fromkeys(s for fact_id in empty for s in users.get(fact_id, []))),
            errors,
            added=count(overlay.add) + len(overlay.add.categories),
            replaced=count(overlay.replace) + len(overlay.replace.standards),
            hidden=count(overlay.hide),
        ),
        problems,
    )
