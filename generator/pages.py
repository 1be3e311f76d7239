"""The page plan: which pages the handbook has, in the handbook's order.

Pure data in, plain data out: ``plan(handbook)`` lists every page with its
ASCII source path, title, template and context, and ``navigation(pages)``
turns the plan into MkDocs' ``nav`` structure. Nothing here renders.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.model import Handbook, Target, Topic

POST_DIR = "posts"
SCRIPT_DIR = "scripts"
CHECKLIST_DIR = "checklists"
PDF_DIR = "pdf"
LEARN_DIR = "learn"


@dataclass(frozen=True)
class Page:
    src_uri: str
    title: str
    template: str
    section: str | None = None
    """The navigation section the page belongs to; ``None`` for top-level pages."""
    context: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None
    """The content item whose id names the page; ``None`` for the fixed pages."""
    group: str | None = None
    """A folding group inside the section (the script categories), or ``None``."""


@dataclass(frozen=True)
class Origin:
    """A content item that names a site path with its id: a post or a script category."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind} id '{self.id}'"


@dataclass(frozen=True)
class Clash:
    """Two things the site would write to the same path; ``origin`` is the one to rename."""

    path: str
    origin: Origin
    other: str


def post_page(post_id: str) -> str:
    return f"{POST_DIR}/{post_id}.md"


def complaints_page() -> str:
    return TOPIC_PAGES[Topic.complaints]


def script_page(category_id: str) -> str:
    return f"{SCRIPT_DIR}/{category_id}.md"


def checklist_page(post_id: str) -> str:
    return f"{CHECKLIST_DIR}/{post_id}.md"


def path_page(post_id: str) -> str:
    return f"{LEARN_DIR}/{post_id}.md"


def quiz_page(post_id: str) -> str:
    return f"{LEARN_DIR}/quiz-{post_id}.md"


PRACTICE_PAGE = f"{LEARN_DIR}/practice.md"
STANDARDS_PAGE = "standards.md"
DIVISION_PAGE = f"{POST_DIR}/division.md"

TOPIC_PAGES = {
    Topic.home: "index.md",
    Topic.goals: "goals.md",
    Topic.complaints: f"{POST_DIR}/complaints.md",
    Topic.norms: "norms.md",
    Topic.language: "language.md",
    Topic.scripts: f"{SCRIPT_DIR}/index.md",
    Topic.glossary: "glossary.md",
    Topic.revisions: "revisions.md",
}


def target_page(target: Target) -> str:
    """The page a target names."""
    if target.post:
        return post_page(target.post)
    if target.category:
        return script_page(target.category)
    return TOPIC_PAGES[target.topic]


def target_link(target: Target) -> str:
    """The page a target names, with the section's anchor if it has one."""
    page = target_page(target)
    return f"{page}#{target.section}" if target.section else page


OFFLINE_ZIP = "download/handbook-offline.zip"


ALL_POSTS = "all"
"""The name of the all-posts checklist PDF."""


def pdf_file(name: str) -> str:
    """Site path of a checklist PDF: a post id, or ``ALL_POSTS``."""
    return f"{PDF_DIR}/{name}.pdf"


def built_path(src_uri: str, directory_urls: bool = True) -> str:
    """The HTML file MkDocs writes for a page (its ``use_directory_urls`` rule)."""
    stem = posixpath.splitext(src_uri)[0]
    if posixpath.basename(stem) == "index":
        return stem + ".html"
    return f"{stem}/index.html" if directory_urls else stem + ".html"


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """A page's URL path within the site, as MkDocs links to it."""
    path = built_path(src_uri, directory_urls)
    return path.removesuffix("index.html") if directory_urls else path


# Section titles are the handbook's own outline (目录).
GOALS = "销售案场工作目标及架构"
POSTS = "销售案场各条线服务岗"
NORMS = "案场管理要求及规范"
LANGUAGE = "案场服务语言要求及规范(答客词)"
LEARNING = "新员工学习"
CHECKLISTS = "岗位培训清单"
SCRIPT_GROUP = "答客词分类"
"""One folding group for the script categories, so the sections after them stay in view."""


def plan(handbook: Handbook) -> list[Page]:
    pages = [
        Page(TOPIC_PAGES[Topic.home], "首页", "home.md.j2"),
        Page(TOPIC_PAGES[Topic.goals], GOALS, "goals.md.j2"),
    ]
    for post in handbook.posts:
        post_origin = Origin("post", post.id)
        pages.append(
            Page(post_page(post.id), post.name, "post.md.j2", POSTS, {"post": post}, post_origin)
        )
        if post.id == handbook.complaints.post:
            pages.append(Page(complaints_page(), "接待投诉处理", "complaints.md.j2", POSTS))
    pages.append(Page(TOPIC_PAGES[Topic.norms], handbook.norms.title, "norms.md.j2", NORMS))
    pages.append(Page(TOPIC_PAGES[Topic.language], "服务语言规范", "language.md.j2", LANGUAGE))
    pages.append(Page(TOPIC_PAGES[Topic.scripts], "答客词索引", "script-index.md.j2", LANGUAGE))
    for category in handbook.categories.categories:
        scripts = handbook.scripts_in(category.id)
        if scripts:
            pages.append(
                Page(
                    script_page(category.id),
                    category.name,
                    "scripts.md.j2",
                    LANGUAGE,
                    {"category": category, "scripts": scripts},
                    Origin("category", category.id),
                    SCRIPT_GROUP,
                )
            )
    for path in handbook.paths:
        post = handbook.post(path.post)
        context = {"path": path, "post": post}
        pages.append(
            Page(
                path_page(post.id),
                f"{post.name}第一周",
                "path.md.j2",
                LEARNING,
                context,
                Origin("post", post.id),
            )
        )
    pages.append(Page(PRACTICE_PAGE, "答客词练习", "practice.md.j2", LEARNING))
    for post in handbook.posts:
        pages.append(
            Page(
                quiz_page(post.id),
                f"{post.name}自测",
                "quiz.md.j2",
                LEARNING,
                {"post": post},
                Origin("post", post.id),
            )
        )
    pages.append(
        Page(f"{CHECKLIST_DIR}/index.md", "全部岗位清单", "checklist-all.md.j2", CHECKLISTS)
    )
    for post in handbook.posts:
        pages.append(
            Page(
                checklist_page(post.id),
                f"{post.name}清单",
                "checklist.md.j2",
                CHECKLISTS,
                {"post": post},
                Origin("post", post.id),
            )
        )
    pages.append(Page(STANDARDS_PAGE, "服务标准一览", "standards.md.j2", NORMS))
    pages.append(Page(DIVISION_PAGE, "岗位分工", "division.md.j2", POSTS))
    pages.append(Page(TOPIC_PAGES[Topic.glossary], "术语表", "glossary.md.j2"))
    pages.append(Page(TOPIC_PAGES[Topic.revisions], "修订记录", "revisions.md.j2"))
    return pages


def clashes(handbook: Handbook, pages: list[Page]) -> list[Clash]:
    """Paths two things would both write: a post ``index`` over the all-posts checklist,
    a category ``index`` over the script index, a post ``all`` over ``pdf/all.pdf`` …"""
    claims = [(page.src_uri, page.title, page.origin) for page in pages]
    claims.append((pdf_file(ALL_POSTS), "全部岗位清单 PDF", None))
    for post in handbook.posts:
        claims.append((pdf_file(post.id), f"{post.name}清单 PDF", Origin("post", post.id)))
    first: dict[str, tuple[str, Origin | None]] = {}
    found = []
    for path, title, origin in claims:
        if path not in first:
            first[path] = (title, origin)
            continue
        earlier_title, earlier_origin = first[path]
        if origin is not None:
            culprit, other_title, other_origin = origin, earlier_title, earlier_origin
        elif earlier_origin is not None:
            culprit, other_title, other_origin = earlier_origin, title, origin
        else:
            continue
        other = f"{other_title} of {other_origin}" if other_origin else other_title
        found.append(Clash(path, culprit, other))
    return found


def navigation(pages: list[Page], title: Callable[[str], str]) -> list[Any]:
    """MkDocs ``nav``: top-level pages in order, sectioned pages grouped.

    ``title`` turns a page or section title into what the theme shows (the
    theme writes nav titles into the page as HTML).
    """
    nav: list[Any] = []
    sections: dict[str, list[Any]] = {}
    groups: dict[tuple[str, str], list[Any]] = {}
    for page in pages:
        entry = {title(page.title): page.src_uri}
        if page.section is None:
            nav.append(entry)
            continue
        if page.section not in sections:
            sections[page.section] = []
            nav.append({title(page.section): sections[page.section]})
        if page.group is None:
            sections[page.section].append(entry)
            continue
        key = (page.section, page.group)
        if key not in groups:
            groups[key] = []
            sections[page.section].append({title(page.group): groups[key]})
        groups[key].append(entry)
    return nav


def content_pages(handbook: Handbook) -> list[tuple[str, object]]:
    """``(page, content part)``: where each part of the content is shown (for "used on")."""
    parts: list[tuple[str, object]] = [
        (TOPIC_PAGES[Topic.goals], handbook.organisation),
        (TOPIC_PAGES[Topic.norms], handbook.norms),
        (TOPIC_PAGES[Topic.language], handbook.language),
        (complaints_page(), handbook.complaints),
        (DIVISION_PAGE, handbook.tasks),
    ]
    parts += [(post_page(post.id), post) for post in handbook.posts]
    parts += [(script_page(script.category), script) for script in handbook.scripts]
    parts += [(path_page(path.post), path) for path in handbook.paths]
    return parts
