"""Typed models: the one description of the handbook's content.

Every content file is validated against one of the ``*File`` models below, and
the JSON Schema that editors use for autocompletion is exported from them
(``handbook schema``). All models share one strict base: unknown keys are
errors and validated objects are immutable.

Provenance: every text item says where it comes from, ``handbook`` (the
handbook's own words) or ``supplement`` (written for the site because the
handbook lacks it). A block's ``source`` is the default for its items; an item
may override it, so a block can mix both.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

FACT_REFERENCE = re.compile(r"\{fact:([^{}]*)\}")
"""The one substitution in content text: ``{fact:hotline}`` → the project's hotline."""

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=64)]
"""A stable, URL-safe identifier: lower-case ASCII letters, digits and single hyphens."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Asked = Annotated[
    list[Text],
    Field(
        default_factory=list,
        description="How staff ask for this in their own words, e.g. 指甲能留多长. Search words "
        "only: indexed by the answer search, never shown as the handbook's text.",
    ),
]
"""Non-empty text; may contain project-fact references such as ``{fact:hotline}``."""


class Source(StrEnum):
    handbook = "handbook"
    supplement = "supplement"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def inherits_source(key: str, *, expand_strings: bool = False) -> Any:
    """A before-validator giving each element of ``data[key]`` the parent's ``source``.

    With ``expand_strings``, a bare string element becomes ``{text: ...}``, so
    YAML lists can stay plain. It runs on raw YAML data: anything unexpected is
    passed through untouched and reported by the normal validators.
    """

    def inherit(cls: type, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            return data
        source = data.get("source")
        elements = []
        for element in data[key]:
            if expand_strings and isinstance(element, str):
                element = {"text": element}
            if isinstance(element, dict) and source is not None:
                element = {"source": source, **element}
            elements.append(element)
        return {**data, key: elements}

    return model_validator(mode="before")(classmethod(inherit))


class Item(Strict):
    """One statement: a qualification, a duty, a step, a rule."""

    text: Text
    source: Source
    broken_off: bool = Field(
        default=False, description="The capture ends mid-sentence here; shown as broken off."
    )
    items: list[Item] = Field(default_factory=list, description="Sub-items, e.g. listed cases.")
    asked: Asked

    inherit_source = inherits_source("items", expand_strings=True)


class Block(Strict):
    """A titled list of items sharing a default provenance."""

    title: Text | None = None
    source: Source
    intro: Text | None = None
    items: list[Item] = Field(min_length=1)
    asked: Asked

    inherit_source = inherits_source("items", expand_strings=True)


class LocatedError(ValueError):
    """A validation error about a part of the model, e.g. one row of a table."""

    def __init__(self, message: str, *loc: str | int):
        super().__init__(message)
        self.loc = loc


class Table(Strict):
    columns: list[Text] = Field(min_length=1)
    rows: list[list[Text]] = Field(min_length=1)

    @model_validator(mode="after")
    def _rows_match_columns(self) -> Table:
        for number, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise LocatedError(
                    f"has {len(row)} cells but the table has {len(self.columns)} columns",
                    "rows",
                    number,
                )
        return self


class Procedure(Strict):
    """A post's own procedure, e.g. reception and greeting."""

    id: Id
    title: Text
    source: Source
    intro: Text | None = None
    items: list[Item] = Field(default_factory=list)
    table: Table | None = None
    asked: Asked

    inherit_source = inherits_source("items", expand_strings=True)


# --- handbook.yml ---------------------------------------------------------


class Uncovered(Strict):
    """A topic staff ask about that the handbook leaves to someone else, e.g. pay and leave."""

    topic: Text = Field(description="What the topic is, e.g. 工资、休假、社保等人事问题.")
    words: list[Text] = Field(
        min_length=1, description="Words that show a question is about it, e.g. 工资, 病假."
    )
    ask: Text = Field(description="Whom to ask instead, e.g. 案场经理或公司人事部门.")
    source: Source


class Unanswered(Strict):
    """What the answer search offers when it finds no sure answer."""

    script: Id = Field(
        description="The reply script for a customer who is waiting, e.g. 无法当场解答 "
        "(unknown-cannot-answer)."
    )
    ask: list[Id] = Field(
        min_length=1,
        description="Roles of organisation.yml a staff member asks instead (请示主管), "
        "nearest first.",
    )


class HandbookFile(Strict):
    """``handbook.yml``: metadata and the order of the posts."""

    title: Text
    organisation: str = Field(default="", description="Empty renders as 待填写.")
    version: Text
    effective_date: datetime.date | None = None
    logo: str = Field(
        default="",
        description="Optional: path of the company's logo under docs/ (e.g. assets/logo.svg).",
    )
    favicon: str = Field(
        default="",
        description="Optional: path of the site's favicon under docs/ (e.g. assets/favicon.png).",
    )
    intro: Block
    supplement_note: Text = Field(description="The one-line explanation of the 补充 badge.")
    posts: list[Id] = Field(min_length=1, description="Post ids in the handbook's order.")
    not_covered: list[Uncovered] = Field(
        default_factory=list,
        description="Topics the handbook does not cover: the answer search sends a question "
        "naming one of their words to whom to ask, instead of guessing an answer.",
    )
    unanswered: Unanswered | None = Field(
        default=None,
        description="Optional: the fallback reply and whom to ask when the answer search "
        "finds nothing sure; without it, the search only says nothing was found.",
    )


# --- project.yml ----------------------------------------------------------


class Fact(Strict):
    id: Id
    label: Text
    value: str = Field(
        default="",
        description="A value every centre shares unless its centre.yml gives one; empty: "
        "each centre must give it (the 通用版 reads it as an instruction to staff).",
    )
    sales: bool = Field(
        default=False,
        description="A sales matter (prices, delivery date, parking price, discounts, school "
        "places): only the sales side states it; other posts hand over with the referral line.",
    )


class ProjectFile(Strict):
    """``project.yml``: the sales project's own facts, referenced as ``{fact:id}``."""

    facts: list[Fact]


# --- organisation.yml -----------------------------------------------------


class OrgUnit(Strict):
    """A role of the organisation chart, named in text as ``{role:id}``."""

    id: Id
    name: Text
    post: Id | None = Field(default=None, description="The post that staffs this unit.")
    reports_to: Id | None = None
    staffing: Text | None = None
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other names for this role, e.g. the handbook's own 客户服务负责人.",
    )
    outside: bool = Field(
        default=False,
        description="An outside party staff hand over to (sales agency, developer, 工程部).",
    )
    sales: bool = Field(
        default=False, description="The sales side: may state sales facts to customers."
    )
    source: Source


class Organisation(Strict):
    title: Text
    source: Source
    intro: Text | None = None
    units: list[OrgUnit] = Field(min_length=1)


class OrganisationFile(Strict):
    """``organisation.yml``: work goals and the organisation chart."""

    goals: Block
    organisation: Organisation


# --- posts/*.yml ----------------------------------------------------------


class GroomingRule(Strict):
    area: Text = Field(description="Body area or item, e.g. 发型, 工牌.")
    text: Text | None = Field(default=None, description="Rule for everyone.")
    men: Text | None = None
    women: Text | None = None
    source: Source
    asked: Asked

    @model_validator(mode="after")
    def _has_a_rule(self) -> GroomingRule:
        if not (self.text or self.men or self.women):
            raise ValueError("a grooming rule needs text, men or women")
        return self


class Grooming(Strict):
    title: Text | None = None
    source: Source
    intro: Text | None = None
    rules: list[GroomingRule] = Field(min_length=1)

    inherit_source = inherits_source("rules")


class PostFile(Strict):
    """``posts/<id>.yml``: one post (岗位)."""

    id: Id
    name: Text
    line: Text = Field(description="The service line, e.g. 客服, 秩序维护.")
    summary: Text | None = None
    summary_source: Source = Source.supplement
    qualifications: Block
    grooming: Grooming
    duties: Block
    procedures: list[Procedure] = Field(default_factory=list)


# --- norms.yml ------------------------------------------------------------


class NormLine(Strict):
    id: Id
    name: Text
    source: Source
    intro: Text | None = None
    sections: list[Block] = Field(min_length=1)


class NormsFile(Strict):
    """``norms.yml``: 案场管理要求及规范, per service line."""

    title: Text
    lines: list[NormLine] = Field(min_length=1)


# --- complaints.yml -------------------------------------------------------


class NamedText(Strict):
    name: Text
    text: Text
    source: Source
    asked: Asked


class ProcessStep(Strict):
    id: Id
    name: Text
    source: Source
    items: list[Item] = Field(min_length=1)
    asked: Asked

    inherit_source = inherits_source("items", expand_strings=True)


class ComplaintsFile(Strict):
    """``complaints.yml``: 接待投诉处理 of the manager post."""

    title: Text
    post: Id
    overview_title: Text
    purpose: NamedText
    principles_title: Text
    principles: list[NamedText] = Field(min_length=1)
    key_points_title: Text
    key_points: list[NamedText] = Field(min_length=1)
    process_title: Text
    process: list[ProcessStep] = Field(min_length=1)


# --- language.yml ---------------------------------------------------------


class ForbiddenPhrase(Strict):
    avoid: Text
    instead: Text
    source: Source


class LanguageFile(Strict):
    """``language.yml``: 案场服务语言要求及规范."""

    title: Text
    source: Source
    intro: Text | None = None
    sections: list[Block] = Field(min_length=1)
    forbidden_title: Text
    forbidden: list[ForbiddenPhrase] = Field(min_length=1)
    forbidden_asked: Asked

    inherit_source = inherits_source("forbidden")


# --- scripts/*.yml --------------------------------------------------------


class ScriptCategory(Strict):
    id: Id
    name: Text
    intro: Text | None = None


class CategoriesFile(Strict):
    """``scripts/categories.yml``: reply-script categories in display order."""

    categories: list[ScriptCategory] = Field(min_length=1)


class Script(Strict):
    """A reply script (答客词): what a customer asks and the standard reply."""

    id: Id
    category: Id
    question: Text
    reply: Text
    phrasings: list[Text] = Field(
        default_factory=list, description="Other ways a customer asks the same thing."
    )
    notes: list[Text] = Field(default_factory=list, description="What never to say, and why.")
    tags: list[Text] = Field(default_factory=list)
    answered_by: Id | None = Field(
        default=None,
        description="The role that gives this reply when it is not front-line staff, e.g. "
        "sales-consultant for a reply that states a sales fact.",
    )
    source: Source


class ScriptsFile(Strict):
    """``scripts/<any>.yml``: reply scripts; each names its category."""

    source: Source | None = Field(default=None, description="Default source of the scripts.")
    scripts: list[Script] = Field(min_length=1)

    inherit_source = inherits_source("scripts")


# --- standards.yml ---------------------------------------------------


class Standard(Strict):
    """A service standard: a time, distance, count or frequency, or a fixed line."""

    id: Id
    label: Text = Field(description="What the standard measures, e.g. 主动问候距离.")
    value: Text = Field(description="The figure itself, e.g. 3米 or 3分钟.")
    wording: Text | None = Field(
        default=None,
        description="How text reads where it is referenced (default: the value), "
        "e.g. 3分钟内; may name facts and roles.",
    )
    applies_to: list[Id] = Field(
        default_factory=list, description="Post ids or norm line ids; empty: every post."
    )
    area: Id | None = Field(
        default=None, description="The area of work it belongs to (an id of `areas`)."
    )
    source: Source
    asked: Asked

    @property
    def text(self) -> str:
        return self.wording or self.value


class StandardArea(Strict):
    """An area of work the standards are grouped by on 服务标准一览."""

    id: Id
    name: Text


class StandardsFile(Strict):
    """``standards.yml``: service standards, referenced as ``{std:id}``."""

    source: Source | None = Field(default=None, description="Default source of the standards.")
    areas: list[StandardArea] = Field(
        default_factory=list, description="Areas of work, in page order."
    )
    standards: list[Standard] = Field(default_factory=list)

    def grouped(self) -> list[tuple[StandardArea | None, list[Standard]]]:
        """The standards by area, in the order of ``areas``; those without one last."""
        groups = [(area, [s for s in self.standards if s.area == area.id]) for area in self.areas]
        rest = [s for s in self.standards if s.area not in {a.id for a in self.areas}]
        return [(a, items) for a, items in groups if items] + ([(None, rest)] if rest else [])

    inherit_source = inherits_source("standards")


# --- tasks.yml --------------------------------------------------------


class Part(StrEnum):
    owner = "owner"
    support = "support"


class Task(Strict):
    """A task more than one post touches: exactly one post owns it, others support."""

    id: Id
    name: Text
    text: Text = Field(description="What the task is and how it is shared.")
    posts: dict[Id, Part] = Field(
        min_length=1, description="Post id → owner (exactly one) or support."
    )
    source: Source
    asked: Asked

    @property
    def owner(self) -> str | None:
        owners = [post for post, part in self.posts.items() if part is Part.owner]
        return owners[0] if len(owners) == 1 else None

    @property
    def supporters(self) -> list[str]:
        return [post for post, part in self.posts.items() if part is Part.support]


class TasksFile(Strict):
    """``tasks.yml``: shared tasks, each owned by one post."""

    source: Source | None = None
    tasks: list[Task] = Field(default_factory=list)

    inherit_source = inherits_source("tasks")


# --- glossary.yml ---------------------------------------------------------


class Term(Strict):
    term: Text
    definition: Text
    source: Source


class GlossaryFile(Strict):
    """``glossary.yml``: terms shown as tooltips wherever they appear."""

    source: Source | None = None
    terms: list[Term] = Field(min_length=1)

    inherit_source = inherits_source("terms")


# --- learning: first-week paths and revisions -----------------------------


class Topic(StrEnum):
    """Pages that are not a post or a script category."""

    home = "home"
    goals = "goals"
    complaints = "complaints"
    norms = "norms"
    language = "language"
    scripts = "scripts"
    glossary = "glossary"
    revisions = "revisions"


class Target(Strict):
    """A place on the site: a post (optionally one of its sections), a topic, or a category."""

    post: Id | None = None
    section: Id | None = Field(
        default=None,
        description="With post: qualifications, grooming, duties or a procedure id.",
    )
    topic: Topic | None = None
    category: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Target:
        named = [name for name in ("post", "topic", "category") if getattr(self, name)]
        if len(named) != 1:
            raise ValueError("name exactly one of post, topic or category")
        if self.section and not self.post:
            raise ValueError("section needs a post")
        return self


POST_SECTIONS = ("qualifications", "grooming", "duties")


class PathStep(Strict):
    text: Text
    read: Target | None = Field(default=None, description="The page or section to read.")
    practise: Id | None = Field(default=None, description="A script category to master.")
    source: Source


class PathDay(Strict):
    title: Text
    source: Source
    steps: list[PathStep] = Field(min_length=1)

    inherit_source = inherits_source("steps")


class PathFile(Strict):
    """``paths/<post>.yml``: a new hire's first week in one post."""

    post: Id
    source: Source
    intro: Text | None = None
    asked: Asked
    days: list[PathDay] = Field(min_length=1)

    inherit_source = inherits_source("days")


class Change(Strict):
    text: Text
    where: list[Target] = Field(min_length=1, description="The pages this change touches.")


class Revision(Strict):
    version: Text
    date: datetime.date
    changes: list[Change] = Field(min_length=1)


class RevisionsFile(Strict):
    """``revisions.yml``: what changed in each version, newest first."""

    revisions: list[Revision] = Field(min_length=1)


# --- projects/<id>/centre.yml ---------------------------------------------


class CentreProcedure(Procedure):
    """A procedure a centre adds to, or replaces in, one post."""

    post: Id = Field(description="The post it belongs to.")


class _CentreScripts(Strict):
    scripts: list[Script] = Field(default_factory=list)
    procedures: list[CentreProcedure] = Field(default_factory=list)


class CentreAdditions(_CentreScripts):
    """Items a centre adds to the base: new ids only."""

    categories: list[ScriptCategory] = Field(
        default_factory=list, description="Reply-script categories, after the base's."
    )


class CentreReplacements(_CentreScripts):
    """Items a centre puts in place of the base's supplement items with the same id."""

    standards: list[Standard] = Field(default_factory=list)


class ProcedureId(Strict):
    post: Id
    id: Id


class CentreHidden(Strict):
    """Base supplement items a centre leaves out, by id."""

    scripts: list[Id] = Field(default_factory=list)
    procedures: list[ProcedureId] = Field(default_factory=list)


class CentreFile(Strict):
    """``projects/<id>/centre.yml``: one sales centre's facts and local additions.

    The centre's site is the base handbook (``content/``) with these facts filled
    in; additions and replacements are supplement text, and the handbook's own
    text can be neither replaced nor hidden.
    """

    name: Text = Field(description="The centre's name as the site shows it.")
    example: bool = Field(
        default=False, description="An invented example centre: every page says 示例."
    )
    facts: dict[Id, Text] = Field(
        default_factory=dict,
        description="Fact id (of content/project.yml) → this centre's value.",
    )
    add: CentreAdditions = Field(default_factory=CentreAdditions)
    replace: CentreReplacements = Field(default_factory=CentreReplacements)
    hide: CentreHidden = Field(default_factory=CentreHidden)


class Centre(Strict):
    """The sales centre a site is built for (none: the 通用版 of the base)."""

    id: Id
    name: Text
    example: bool = False
    draft: bool = Field(
        default=False, description="Built with facts missing: every page says 草稿."
    )


# --- the whole handbook ---------------------------------------------------


class Handbook(Strict):
    """All content files, loaded and cross-checked."""

    meta: HandbookFile
    project: ProjectFile
    organisation: OrganisationFile
    posts: list[PostFile]
    norms: NormsFile
    complaints: ComplaintsFile
    language: LanguageFile
    categories: CategoriesFile
    scripts: list[Script]
    glossary: GlossaryFile
    paths: list[PathFile]
    revisions: RevisionsFile
    standards: StandardsFile = Field(default_factory=StandardsFile)
    tasks: TasksFile = Field(default_factory=TasksFile)
    centre: Centre | None = None

    @property
    def roles(self) -> list[OrgUnit]:
        return self.organisation.organisation.units

    def post(self, post_id: str) -> PostFile:
        return next(post for post in self.posts if post.id == post_id)

    def scripts_in(self, category_id: str) -> list[Script]:
        return self.scripts_by_category.get(category_id, [])

    @cached_property
    def scripts_by_category(self) -> dict[str, list[Script]]:
        """Category id → its scripts in content order (grouped once: pages ask per category)."""
        grouped: dict[str, list[Script]] = {}
        for script in self.scripts:
            grouped.setdefault(script.category, []).append(script)
        return grouped
