"""Load a content folder into a validated :class:`~generator.model.Handbook`.

Every file is read and validated even after an earlier one failed, and the
cross-file checks (ids, references) run on whatever parsed, so one run reports
every problem. Nothing here knows about Markdown or MkDocs.
"""

from __future__ import annotations

import datetime
import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator import model
from generator.content import references
from generator.content.yamlfile import YamlDocument, describe_character, read_yaml
from generator.errors import TODO, Loc, Problem, Severity, errors_of

# File (relative to the content folder) → the model it must match.
SINGLE_FILES: dict[str, type[BaseModel]] = {
    "handbook.yml": model.HandbookFile,
    "project.yml": model.ProjectFile,
    "organisation.yml": model.OrganisationFile,
    "norms.yml": model.NormsFile,
    "complaints.yml": model.ComplaintsFile,
    "language.yml": model.LanguageFile,
    "glossary.yml": model.GlossaryFile,
    "scripts/categories.yml": model.CategoriesFile,
    "revisions.yml": model.RevisionsFile,
    "standards.yml": model.StandardsFile,
    "tasks.yml": model.TasksFile,
}
POSTS_DIR = "posts"
PATHS_DIR = "paths"
SCRIPTS_DIR = "scripts"
EXAMPLE_SUFFIX = ".example.yml"


@dataclass
class LoadResult:
    handbook: model.Handbook | None
    problems: list[Problem]
    documents: dict[str, YamlDocument] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.handbook is not None and not errors_of(self.problems)


@dataclass
class LoadedFile:
    """A validated file and the document it came from."""

    document: YamlDocument
    value: Any


def load_handbook(content_dir: Path) -> LoadResult:
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    documents: dict[str, YamlDocument] = {}
    if not content_dir.is_dir():
        shown = _display(content_dir)
        return LoadResult(None, [Problem(shown, 1, 1, "", "content folder not found")])

    def load(relative: str, model_class: type[BaseModel]) -> LoadedFile | None:
        loaded, document = load_file(content_dir / relative, content_dir, model_class, problems)
        if document is not None:
            documents[relative] = document
        return loaded

    singles = {name: load(name, model_class) for name, model_class in SINGLE_FILES.items()}
    posts = [load(name, model.PostFile) for name in _yaml_files(content_dir, POSTS_DIR)]
    script_files = [
        load(name, model.ScriptsFile)
        for name in _yaml_files(content_dir, SCRIPTS_DIR)
        if name not in SINGLE_FILES
    ]
    paths = [load(name, model.PathFile) for name in _yaml_files(content_dir, PATHS_DIR)]
    problems.extend(_unexpected_files(content_dir))

    loaded = [*singles.values(), *posts, *script_files, *paths]
    problems.extend(_check_text_references(singles, [x for x in loaded if x is not None]))

    if any(x is None for x in loaded):
        return LoadResult(None, problems, documents)
    problems.extend(_check_references(singles, posts, script_files))
    problems.extend(_check_learning(singles, posts, paths))
    problems.extend(_check_shared(singles, posts, script_files))
    if errors_of(problems):
        return LoadResult(None, problems, documents)

    handbook = model.Handbook(
        meta=singles["handbook.yml"].value,
        project=singles["project.yml"].value,
        organisation=singles["organisation.yml"].value,
        posts=_in_order(singles["handbook.yml"].value.posts, [p.value for p in posts]),
        norms=singles["norms.yml"].value,
        complaints=singles["complaints.yml"].value,
        language=singles["language.yml"].value,
        categories=singles["scripts/categories.yml"].value,
        scripts=[script for file in script_files for script in file.value.scripts],
        glossary=singles["glossary.yml"].value,
        paths=_in_order(singles["handbook.yml"].value.posts, [p.value for p in paths], key="post"),
        revisions=singles["revisions.yml"].value,
        standards=singles["standards.yml"].value,
        tasks=singles["tasks.yml"].value,
    )
    return LoadResult(handbook, problems, documents)


def load_file(
    file: Path, root: Path, model_class: type[BaseModel], problems: list[Problem]
) -> tuple[LoadedFile | None, YamlDocument | None]:
    """Read ``file`` (which must lie inside ``root``) and validate it against ``model_class``;
    its problems are added to ``problems``. Returns the validated file (``None`` on any
    error) and the document read (``None`` when it could not be read)."""
    shown = _display(file)
    refusal = _refuse_file(file, root)
    if refusal is not None:
        problems.append(Problem(shown, 1, 1, "", refusal))
        return None, None
    document, read_problems = read_yaml(file, shown)
    problems.extend(read_problems)
    if document is None:
        return None, None
    if not isinstance(document.data, dict):
        problems.append(document.problem((), "expected a mapping of fields at the top level"))
        return None, document
    try:
        value = model_class.model_validate(document.data)
    except ValidationError as error:
        problems.extend(_problems_from_validation(document, error))
        return None, document
    return LoadedFile(document, value), document


def _display(path: Path) -> str:
    """Show paths relative to the working folder when they lie beneath it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def _refuse_file(file: Path, content_dir: Path) -> str | None:
    """Why ``file`` cannot be read as content, or ``None`` when it can."""
    try:
        info = file.stat()
        inside = file.resolve(strict=True).is_relative_to(content_dir.resolve())
    except FileNotFoundError:
        if file.is_symlink():
            return "symbolic link to a file that does not exist; fix or remove the link"
        return "required file is missing"
    except RuntimeError:
        return "symbolic link loop; replace the link with the file itself"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop; replace the link with the file itself"
        return f"cannot read the file: {error.strerror or error}"
    if not inside:
        return (
            "symbolic link to a file outside the content folder; copy the file into the "
            "content folder instead (only the content folder is published)"
        )
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file; rename it or move its files"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a pipe or device); replace it with a YAML file"
    return None


def _yaml_files(content_dir: Path, folder: str) -> list[str]:
    return sorted(
        f"{folder}/{file.name}"
        for file in (content_dir / folder).glob("*.yml")
        if not file.name.endswith(EXAMPLE_SUFFIX)
    )


def _unexpected_files(content_dir: Path) -> Iterator[Problem]:
    """Warn about YAML that is not read, such as ``norm.yml`` for ``norms.yml``."""
    for file in sorted(content_dir.glob("*.y*ml")):
        if file.name not in SINGLE_FILES and not file.name.endswith(EXAMPLE_SUFFIX):
            yield Problem(
                _display(file),
                1,
                1,
                "",
                "file is not part of the handbook and is ignored",
                Severity.warning,
            )


def _in_order(order: list[str], values: list[Any], key: str = "id") -> list[Any]:
    """``values`` sorted by the position of their ``key`` in ``order``; absent ones skipped."""
    by_id = {getattr(value, key): value for value in values}
    return [by_id[post_id] for post_id in order if post_id in by_id]


# --- validation errors ----------------------------------------------------

_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check the spelling)",
    "string_type": "expected text",
    "list_type": "expected a list",
    "model_type": "expected a mapping of fields",
    "dict_type": "expected a mapping of fields",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
    "string_pattern_mismatch": (
        "not a safe id: use lower-case letters a-z, digits and single hyphens, e.g. parking-fee"
    ),
    "enum": "expected 'handbook' or 'supplement'",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
}


def _problems_from_validation(document: YamlDocument, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        kind, value = detail["type"], detail.get("input")
        message = _MESSAGES.get(kind, detail["msg"])
        if kind.startswith("date"):
            message = "expected a date written as YYYY-MM-DD, e.g. 2026-03-01"
        elif kind in ("string_type", "model_type") and _text_instead(value):
            message = f"expected text, found {_text_instead(value)}"
        elif kind == "value_error":
            error_value = detail["ctx"]["error"]
            message = str(error_value)
            loc += getattr(error_value, "loc", ())
        elif kind == "extra_forbidden" and _INVISIBLE.search(str(loc[-1])):
            invisible = _INVISIBLE.search(str(loc[-1])).group()
            message += f"; the name contains {describe_character(invisible)}, remove it"
        problems.append(document.problem(loc, message, at_key=kind == "extra_forbidden"))
    return problems


def _text_instead(value: Any) -> str:
    """What YAML made of a value that should have been text, and what to do about it."""
    if isinstance(value, bool):
        return (
            f"{str(value).lower()} (YAML reads yes, no, on and off as true or false; "
            "put the text in quotes)"
        )
    if isinstance(value, datetime.date):
        return "a date (put it in quotes)"
    if isinstance(value, (int, float)):
        return "a number (put it in quotes)"
    if isinstance(value, (list, dict)):
        return f"a {'list' if isinstance(value, list) else 'mapping'}"
    return ""


_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200d\u2060\u2800\u3164]|[^\S ]")


# --- cross-file checks ----------------------------------------------------


def _walk_strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _walk_strings(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk_strings(value, (*loc, index))


def definitions_of(handbook: model.Handbook) -> references.Definitions:
    """Everything a ``{kind:id}`` reference can name in a loaded handbook."""
    return _definitions(handbook.project, handbook.standards, handbook.organisation, handbook.tasks)


def _definitions(
    project: model.ProjectFile | None,
    standards: model.StandardsFile | None,
    organisation: model.OrganisationFile | None,
    tasks: model.TasksFile | None,
) -> references.Definitions:
    definitions = references.Definitions()
    if project is not None:
        definitions.add("fact", [(f.id, f.value, f.label) for f in project.facts])
    if standards is not None:
        definitions.add("std", [(s.id, s.text, s.label) for s in standards.standards])
    if organisation is not None:
        definitions.add("role", [(u.id, u.name, u.name) for u in organisation.organisation.units])
    if tasks is not None:
        definitions.add("task", [(t.id, t.name, t.name) for t in tasks.tasks])
    return definitions


def _check_text_references(
    singles: dict[str, LoadedFile | None], files: list[LoadedFile]
) -> Iterator[Problem]:
    """Every ``{kind:id}`` names something defined; empty facts are warned about where used."""

    def value(name: str) -> Any:
        loaded = singles.get(name)
        return None if loaded is None else loaded.value

    definitions = _definitions(
        value("project.yml"), value("standards.yml"), value("organisation.yml"), value("tasks.yml")
    )
    users: dict[str, list[str]] = {}
    for loaded in files:
        for loc, text, source in _walk_sourced(loaded.document.data):
            for kind, entry_id in references.unknown(definitions, text):
                yield loaded.document.problem(loc, references.unknown_message(kind, entry_id))
            found = references.ids_in(text)
            if found and source == model.Source.handbook.value:
                yield loaded.document.problem(
                    loc,
                    "the handbook's own text stays verbatim: no references in source: "
                    "handbook items (write the reference in a supplement item instead)",
                )
            if loaded.document.path.endswith("standards.yml") and "std" in {
                entry.split(":", 1)[0] for entry in found
            }:
                yield loaded.document.problem(
                    loc, "a standard's wording cannot name another standard"
                )
            for fact_id in references.ids_in(text, "fact"):
                target = definitions.get("fact", fact_id)
                if target is not None and not target.text:
                    users.setdefault(fact_id, []).append(_user_name(loaded, loc))
    facts = singles.get("project.yml")
    if facts is None:
        return
    for index, fact in enumerate(facts.value.facts):
        if not fact.value and fact.id in users:
            names = ", ".join(dict.fromkeys(users[fact.id]))
            yield facts.document.problem(
                ("facts", index, "value"),
                f"待填写: fact '{fact.id}' ({fact.label}) is empty; used by {names}",
                severity=Severity.warning,
                kind=TODO,
            )


def _walk_sourced(
    data: Any, loc: Loc = (), source: str | None = None
) -> Iterator[tuple[Loc, str, str | None]]:
    """Every string with its location and the provenance it inherits (``None``: none given)."""
    if isinstance(data, str):
        yield loc, data, source
    elif isinstance(data, dict):
        own = data.get("source")
        source = own if isinstance(own, str) else source
        for key, value in data.items():
            yield from _walk_sourced(value, (*loc, key), source)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk_sourced(value, (*loc, index), source)


walk_sourced = _walk_sourced


def _user_name(loaded: LoadedFile, loc: Loc) -> str:
    """Name a fact's user: the script id when inside a script, else the file."""
    data = loaded.document.data
    if loc[:1] == ("scripts",) and len(loc) > 1:
        script = data["scripts"][loc[1]]
        if isinstance(script, dict) and isinstance(script.get("id"), str):
            return f"script '{script['id']}'"
    return loaded.document.path


def _duplicates(entries: list[tuple[str, YamlDocument, Loc]], kind: str) -> Iterator[Problem]:
    first: dict[str, tuple[YamlDocument, Loc]] = {}
    for entry_id, document, loc in entries:
        if entry_id in first:
            other, other_loc = first[entry_id]
            line = other.position(other_loc)[0]
            yield document.problem(
                loc, f"duplicate {kind} id '{entry_id}' (also in {other.path}:{line})"
            )
        else:
            first[entry_id] = (document, loc)


def _check_references(
    singles: dict[str, LoadedFile], posts: list[LoadedFile], script_files: list[LoadedFile]
) -> Iterator[Problem]:
    meta = singles["handbook.yml"]
    post_ids = {post.value.id for post in posts}

    yield from _duplicates([(p.value.id, p.document, ("id",)) for p in posts], "post")
    for index, post_id in enumerate(meta.value.posts):
        if post_id not in post_ids:
            yield meta.document.problem(("posts", index), f"no post with id '{post_id}' in posts/")
    yield from _duplicates(
        [(post_id, meta.document, ("posts", i)) for i, post_id in enumerate(meta.value.posts)],
        "post",
    )
    for post in posts:
        if post.value.id not in meta.value.posts:
            yield post.document.problem(("id",), "post is not listed in handbook.yml posts")
        yield from _duplicates(
            [
                (proc.id, post.document, ("procedures", i, "id"))
                for i, proc in enumerate(post.value.procedures)
            ],
            "procedure",
        )

    complaints = singles["complaints.yml"]
    if complaints.value.post not in post_ids:
        yield complaints.document.problem(("post",), f"no post with id '{complaints.value.post}'")
    yield from _duplicates(
        [
            (step.id, complaints.document, ("process", i, "id"))
            for i, step in enumerate(complaints.value.process)
        ],
        "process step",
    )

    project = singles["project.yml"]
    yield from _duplicates(
        [
            (fact.id, project.document, ("facts", i, "id"))
            for i, fact in enumerate(project.value.facts)
        ],
        "fact",
    )

    yield from _check_organisation(singles["organisation.yml"], post_ids)

    norms = singles["norms.yml"]
    yield from _duplicates(
        [(line.id, norms.document, ("lines", i, "id")) for i, line in enumerate(norms.value.lines)],
        "service line",
    )

    categories = singles["scripts/categories.yml"]
    category_ids = {category.id for category in categories.value.categories}
    yield from _duplicates(
        [
            (category.id, categories.document, ("categories", i, "id"))
            for i, category in enumerate(categories.value.categories)
        ],
        "category",
    )
    script_entries = []
    for file in script_files:
        for index, script in enumerate(file.value.scripts):
            script_entries.append((script.id, file.document, ("scripts", index, "id")))
            if script.category not in category_ids:
                yield file.document.problem(
                    ("scripts", index, "category"),
                    f"no category '{script.category}' in scripts/categories.yml",
                )
    yield from _duplicates(script_entries, "script")

    unanswered = meta.value.unanswered
    if unanswered:
        if unanswered.script not in {script_id for script_id, _, _ in script_entries}:
            yield meta.document.problem(
                ("unanswered", "script"), f"no script with id '{unanswered.script}' in scripts/"
            )
        roles = {unit.id for unit in singles["organisation.yml"].value.organisation.units}
        for index, role in enumerate(unanswered.ask):
            if role not in roles:
                yield meta.document.problem(
                    ("unanswered", "ask", index), f"no role '{role}' in organisation.yml"
                )


def _check_organisation(org_file: LoadedFile, post_ids: set[str]) -> Iterator[Problem]:
    units = org_file.value.organisation.units
    document = org_file.document
    unit_ids = {unit.id for unit in units}
    base = ("organisation", "units")
    yield from _duplicates(
        [(u.id, document, (*base, i, "id")) for i, u in enumerate(units)], "unit"
    )
    roots = [unit for unit in units if unit.reports_to is None and not unit.outside]
    if len(roots) != 1:
        yield document.problem(
            base,
            f"exactly one unit of the site's own staff must have no reports_to, found {len(roots)}",
        )
    names: dict[str, str] = {}
    for index, unit in enumerate(units):
        for a, name in enumerate([unit.name, *unit.aliases]):
            other = names.setdefault(name, unit.id)
            if other != unit.id:
                field = ("name",) if a == 0 else ("aliases", a - 1)
                yield document.problem(
                    (*base, index, *field), f"'{name}' already names role '{other}'"
                )
    parents = {unit.id: unit.reports_to for unit in units}
    for index, unit in enumerate(units):
        if unit.post is not None and unit.post not in post_ids:
            yield document.problem((*base, index, "post"), f"no post with id '{unit.post}'")
        if unit.reports_to is not None and unit.reports_to not in unit_ids:
            yield document.problem((*base, index, "reports_to"), f"no unit '{unit.reports_to}'")
        seen, current = {unit.id}, unit.reports_to
        while current in parents:
            if current in seen:
                yield document.problem((*base, index, "reports_to"), "reporting lines form a loop")
                break
            seen.add(current)
            current = parents[current]


def _check_learning(
    singles: dict[str, LoadedFile], posts: list[LoadedFile], paths: list[LoadedFile]
) -> Iterator[Problem]:
    """First-week paths and revisions point at posts, sections and categories that exist."""
    sections = {
        post.value.id: {*model.POST_SECTIONS, *(proc.id for proc in post.value.procedures)}
        for post in posts
    }
    categories = {c.id for c in singles["scripts/categories.yml"].value.categories}

    def check_target(document: YamlDocument, loc: Loc, target: model.Target) -> Iterator[Problem]:
        if target.post is not None and target.post not in sections:
            yield document.problem((*loc, "post"), f"no post with id '{target.post}'")
        elif target.section is not None and target.section not in sections[target.post]:
            known = ", ".join(sorted(sections[target.post]))
            yield document.problem(
                (*loc, "section"),
                f"no section '{target.section}' in post '{target.post}' ({known})",
            )
        if target.category is not None and target.category not in categories:
            yield document.problem((*loc, "category"), f"no category '{target.category}'")

    yield from _duplicates([(p.value.post, p.document, ("post",)) for p in paths], "path")
    for path in paths:
        if path.value.post not in sections:
            yield path.document.problem(("post",), f"no post with id '{path.value.post}'")
        for d, day in enumerate(path.value.days):
            for s, step in enumerate(day.steps):
                loc = ("days", d, "steps", s)
                if step.read is not None:
                    yield from check_target(path.document, (*loc, "read"), step.read)
                if step.practise is not None and step.practise not in categories:
                    yield path.document.problem(
                        (*loc, "practise"), f"no category '{step.practise}'"
                    )

    revisions = singles["revisions.yml"]
    for r, revision in enumerate(revisions.value.revisions):
        for c, change in enumerate(revision.changes):
            for w, target in enumerate(change.where):
                yield from check_target(
                    revisions.document, ("revisions", r, "changes", c, "where", w), target
                )
    newest = revisions.value.revisions[0].version
    meta = singles["handbook.yml"]
    if meta.value.version != newest:
        yield meta.document.problem(
            ("version",),
            f"version '{meta.value.version}' differs from the newest revision '{newest}' "
            "in revisions.yml",
        )


def _check_shared(
    singles: dict[str, LoadedFile], posts: list[LoadedFile], script_files: list[LoadedFile]
) -> Iterator[Problem]:
    """Standards apply to posts or lines that exist; each shared task has exactly one owner;
    scripts are answered by roles that exist."""
    post_ids = {post.value.id for post in posts}
    line_ids = {line.id for line in singles["norms.yml"].value.lines}
    standards = singles["standards.yml"]
    yield from _duplicates(
        [
            (std.id, standards.document, ("standards", i, "id"))
            for i, std in enumerate(standards.value.standards)
        ],
        "standard",
    )
    area_ids = {area.id for area in standards.value.areas}
    for i, std in enumerate(standards.value.standards):
        if std.area is not None and std.area not in area_ids:
            yield standards.document.problem(
                ("standards", i, "area"),
                f"no area '{std.area}' (areas: {', '.join(sorted(area_ids)) or 'none defined'})",
            )
        for a, target in enumerate(std.applies_to):
            if target not in post_ids and target not in line_ids:
                yield standards.document.problem(
                    ("standards", i, "applies_to", a),
                    f"no post or service line '{target}' "
                    f"(posts: {', '.join(sorted(post_ids))}; lines: {', '.join(sorted(line_ids))})",
                )

    tasks = singles["tasks.yml"]
    yield from _duplicates(
        [(task.id, tasks.document, ("tasks", i, "id")) for i, task in enumerate(tasks.value.tasks)],
        "task",
    )
    for i, task in enumerate(tasks.value.tasks):
        for post_id in task.posts:
            if post_id not in post_ids:
                yield tasks.document.problem(
                    ("tasks", i, "posts", post_id), f"no post with id '{post_id}'", at_key=True
                )
        owners = [post for post, part in task.posts.items() if part is model.Part.owner]
        if len(owners) != 1:
            found = f"found {len(owners)}" + (f" ({', '.join(owners)})" if owners else "")
            yield tasks.document.problem(
                ("tasks", i, "posts"),
                f"task '{task.id}' needs exactly one owner post, {found}; "
                "make one post owner and the others support",
            )

    role_ids = {unit.id for unit in singles["organisation.yml"].value.organisation.units}
    for file in script_files:
        for index, script in enumerate(file.value.scripts):
            if script.answered_by is not None and script.answered_by not in role_ids:
                yield file.document.problem(
                    ("scripts", index, "answered_by"),
                    f"no role '{script.answered_by}' in organisation.yml",
                )
