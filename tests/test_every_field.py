"""Text from content is text in every place it lands, field by field, in a real browser.

Every free-text string of every content file is found by walking the file's
data together with the JSON Schema of its model (not from a hand-picked list):
a string is free text unless its schema has a ``pattern``, ``enum`` or
``format`` (ids, sources, dates). A copy of the content gets, appended to each
one (and to each optional text the shipped content leaves out), a unique tag
``⟦F12⟧`` and a hostile payload: HTML with an ``onerror`` trap, entity-encoded
HTML, quotes that end attributes, a ``</script>``, a Mermaid directive,
Markdown, Jinja and a table pipe.

The site is built once and served; headless Chromium loads every page, hovers
(and taps) every tooltip target in the page, the header and the navigation
drawer, and types a tagged question into the search box. Then nothing may run and no trap
image may be fetched; every tag must be seen followed by its payload as
literal text, in the page or a tooltip; no table may lose a cell; Mermaid
keeps its theme and draws labels as text; every ``<title>`` stays text. Each
failure names the content file and field behind the tag.
"""

from __future__ import annotations

import glob
import json
import re
import shutil
import threading
import time
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import conftest
import pytest
import yaml
from conftest import CONFIG, ROOT

from generator import model
from generator.content import load
from generator.errors import field_path
from generator.schema import SCHEMAS

TRAP_IMAGE = "/hb-trap.png"
MERMAID_DIRECTIVE = (
    '%%{init: {"theme":"forest","themeCSS":"body{background:url(' + TRAP_IMAGE + ')}"}}%%'
)
# Mermaid's forest theme fills nodes with this colour; Material's theme never does.
FOREST_COLOUR = "#cde498"
MARKER = re.compile(r"⟦(F\d+)⟧")
# The enumeration must find at least this many fields, so that it can never
# silently cover nothing (the shipped content has some 3,000).
MINIMUM_FIELDS = 1000
# The one project fact given a value: a filled fact shows its value, an empty
# one its label (as 待填写), so both paths are covered.
FILLED_FACT = "hotline"
# Added to the glossary: every tagged text contains "⟦", so every body text
# carries an <abbr> tooltip whose definition is a tagged field. The shipped
# terms no longer match anything once tagged.
TOOLTIP_TERM = "⟦"


def payload(tag: str) -> str:
    """One line of hostile text; each trap names the field it came from."""
    trap = f"window.__hb_trap.push('{tag}')"
    return (
        f'<img src=x onerror="{trap}">'
        f"&lt;img src=x onerror={trap}&gt;"
        f"&lt;/title&gt;&lt;script&gt;{trap}&lt;/script&gt;"
        "\"'>"
        f"</script><script>{trap}</script>"
        f"{MERMAID_DIRECTIVE}"
        " **b** [l](javascript:alert(1)) {{ 7*7 }} {% raw %} |"
    )


def shown(tag: str) -> str:
    """What a reader must see where the field lands: the tag, then the payload as text."""
    return f"⟦{tag}⟧{payload(tag)}"


# --- which fields are free text: the JSON Schema says ------------------------


@dataclass(frozen=True)
class Place:
    file: str
    path: str
    added: bool = False
    """Absent from the shipped content; filled in by this test."""

    def __str__(self) -> str:
        return f"{self.file}: {self.path}" + (" (added by the test)" if self.added else "")


def model_of(relative: str):
    """The model a content file must match, by the loader's own rules."""
    if relative in load.SINGLE_FILES:
        return load.SINGLE_FILES[relative]
    folder = relative.split("/")[0]
    return {
        load.POSTS_DIR: model.PostFile,
        load.SCRIPTS_DIR: model.ScriptsFile,
        load.PATHS_DIR: model.PathFile,
    }[folder]


def content_files(content: Path) -> list[str]:
    """Every YAML file the loader reads, relative to the content folder."""
    files = [*load.SINGLE_FILES]
    for folder in (load.POSTS_DIR, load.SCRIPTS_DIR, load.PATHS_DIR):
        files += sorted(
            f"{folder}/{file.name}"
            for file in (content / folder).glob("*.yml")
            if not file.name.endswith(load.EXAMPLE_SUFFIX) and f"{folder}/{file.name}" not in files
        )
    every = {
        file.relative_to(content).as_posix()
        for file in content.rglob("*.yml")
        if not file.name.endswith(load.EXAMPLE_SUFFIX)
    }
    assert every == set(files), f"YAML the enumeration would miss: {sorted(every - set(files))}"
    return files


class Schema:
    """One exported JSON Schema, with ``$ref`` and ``anyOf`` resolved on demand."""

    NOT_FREE = ("pattern", "enum", "format", "const")

    def __init__(self, schema: dict[str, Any]):
        self.root = schema

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            assert node["$ref"].startswith("#/"), node
            target = self.root
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            node = target
        return node

    def branches(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        node = self.resolve(node)
        alternatives = node.get("anyOf") or node.get("oneOf")
        if alternatives:
            return [b for alt in alternatives for b in self.branches(alt)]
        return [node]

    def branch(self, node: dict[str, Any], kind: str) -> dict[str, Any] | None:
        return next((b for b in self.branches(node) if b.get("type") == kind), None)

    def text_rule(self, node: dict[str, Any]) -> str | None:
        """``None`` if a string here is free text, else why not (``pattern``, ``enum`` …)."""
        string = self.branch(node, "string")
        if string is None:
            # An object with a ``text`` field: the model expands a bare string
            # list item to {text: ...} (inherits_source(expand_strings=True)).
            item = self.branch(node, "object")
            if item is not None and "text" in item.get("properties", {}):
                return self.text_rule(item["properties"]["text"])
            return "not a string in the schema"
        return next((key for key in self.NOT_FREE if key in string), None)

    def optional_text(self, node: dict[str, Any]) -> bool:
        """``Text | None``: absent in the data, but shown when given."""
        kinds = {b.get("type") for b in self.branches(node)}
        return kinds == {"string", "null"} and self.text_rule(node) is None


@dataclass
class Tagged:
    """The tagged content copy: each tag's places, and the strings left alone."""

    places: dict[str, list[Place]] = field(default_factory=dict)
    skipped: list[tuple[Place, str]] = field(default_factory=list)
    """Strings that are not free text (ids, sources, dates …) and why."""
    strings: int = 0
    """Every string value present in the shipped data, counted without the schema."""
    filled_fact_labels: list[str] = field(default_factory=list)
    """Field paths of the labels of facts that have a value."""

    def tag(self, place: Place) -> str:
        tag = f"F{len(self.places) + 1}"
        self.places[tag] = [place]
        return tag


def count_strings(data: Any) -> int:
    if isinstance(data, str):
        return 1
    if isinstance(data, dict):
        return sum(count_strings(value) for value in data.values())
    if isinstance(data, list):
        return sum(count_strings(value) for value in data)
    return 0


def tag_data(data: Any, node: dict, schema: Schema, file: str, tagged: Tagged, loc=()) -> Any:
    """``data`` with every free-text string tagged, absent optional texts added."""
    if isinstance(data, str):
        rule = schema.text_rule(node)
        if rule is not None:
            tagged.skipped.append((Place(file, field_path(loc)), rule))
            return data
        return data + shown(tagged.tag(Place(file, field_path(loc))))
    if isinstance(data, list):
        items = schema.branch(node, "array")
        assert items is not None, f"{file}: {field_path(loc)} is a list, the schema disagrees"
        return [
            tag_data(value, items["items"], schema, file, tagged, (*loc, index))
            for index, value in enumerate(data)
        ]
    if isinstance(data, dict):
        mapping = schema.branch(node, "object")
        assert mapping is not None, f"{file}: {field_path(loc)} is a mapping, the schema disagrees"
        properties = mapping.get("properties", {})
        result = {}
        keyed = [*mapping.get("patternProperties", {}).items()]
        for key, value in data.items():
            # A mapping keyed by ids (a task's posts) gives its values' schema under
            # patternProperties; the keys themselves are ids, not text.
            value_node = properties.get(key) or next(
                (node for pattern, node in keyed if re.fullmatch(pattern, key)), None
            )
            assert value_node is not None, f"{file}: {field_path((*loc, key))} not in the schema"
            if value is None and schema.optional_text(value_node):
                continue  # written as empty in the YAML: added below like an absent one
            result[key] = tag_data(value, value_node, schema, file, tagged, (*loc, key))
        for key, prop in properties.items():
            if key not in result and schema.optional_text(prop):
                place = Place(file, field_path((*loc, key)), added=True)
                result[key] = shown(tagged.tag(place))
        return result
    return data  # numbers, booleans, dates, null


def tag_content(content: Path) -> Tagged:
    """Tag every free-text field of the content copy in place."""
    tagged = Tagged()
    names = {model_class: name for name, model_class in SCHEMAS.items()}
    data_of: dict[str, Any] = {}
    for relative in content_files(content):
        file = content / relative
        data = yaml.safe_load(file.read_text("utf-8"))
        tagged.strings += count_strings(data)
        schema_path = ROOT / "schema" / f"{names[model_of(relative)]}.schema.json"
        schema = Schema(json.loads(schema_path.read_text("utf-8")))
        data_of[relative] = tag_data(data, schema.root, schema, relative, tagged)

    # A filled fact shows its value instead of its label (see allowed_unseen).
    facts = data_of["project.yml"]["facts"]
    for index, fact in enumerate(facts):
        if fact["id"] == FILLED_FACT and not fact.get("value"):
            place = Place("project.yml", field_path(("facts", index, "value")), added=True)
            fact["value"] = "400-800" + shown(tagged.tag(place))
        if fact.get("value"):
            tagged.filled_fact_labels.append(field_path(("facts", index, "label")))
    assert tagged.filled_fact_labels, f"no fact '{FILLED_FACT}' in project.yml"

    # The glossary term that puts a tagged definition in a tooltip in every body text.
    terms = data_of["glossary.yml"]["terms"]
    place = Place("glossary.yml", field_path(("terms", len(terms), "definition")), added=True)
    terms.append({"term": TOOLTIP_TERM, "definition": "术语释义" + shown(tagged.tag(place))})

    # The model requires handbook.yml's version to equal the newest revision's,
    # so the two share one tag: seeing either counts for both.
    handbook_version = data_of["handbook.yml"]["version"]
    revisions = data_of["revisions.yml"]["revisions"]
    (old,) = MARKER.findall(revisions[0]["version"])
    (new,) = MARKER.findall(handbook_version)
    tagged.places[new] += tagged.places.pop(old)
    revisions[0]["version"] = handbook_version

    for relative, data in data_of.items():
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 20)
        (content / relative).write_text(text, "utf-8")
    return tagged


# --- fields that are legitimately shown nowhere --------------------------------

# (file pattern, field path pattern) → why the site never displays the field.
ALLOWED_UNSEEN: dict[tuple[str, str], str] = {
    ("*", "*asked[[]*[]]"): "search words: the answer index has them, no page shows them",
}


def allowed_unseen(tagged: Tagged) -> dict[str, str]:
    """Tag → why the field it marks is not displayed anywhere on the site."""
    allowed = dict(ALLOWED_UNSEEN)
    # A fact's label shows only as "待填写:label" where an empty fact is used;
    # a fact with a value shows the value instead.
    for label in tagged.filled_fact_labels:
        allowed["project.yml", glob.escape(label)] = "the label of a fact that has a value"
    return {
        tag: reason
        for tag, places in tagged.places.items()
        for place in places
        for (pattern, path), reason in allowed.items()
        if fnmatch(place.file, pattern) and fnmatch(place.path, path)
    }


# --- the built site, served, and one browser pass over it ------------------------


@pytest.fixture(scope="module")
def tagged_site(tmp_path_factory) -> tuple[Tagged, Path]:
    from generator.site.build import build_site

    base = tmp_path_factory.mktemp("every-field")
    content = base / "content"
    shutil.copytree(conftest.CONTENT, content)
    tagged = tag_content(content)
    site = base / "site"
    build_site(CONFIG, content_dir=content, site_dir=site)
    return tagged, site


class _RecordingHandler(SimpleHTTPRequestHandler):
    """Serves the site and notes every path asked for."""

    requested: list[str]

    def do_GET(self):
        self.requested.append(self.path)
        super().do_GET()

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def recording_server(tagged_site):
    _, site = tagged_site
    requested: list[str] = []
    handler = type("Handler", (_RecordingHandler,), {"requested": requested})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# Runs before any script of every page: records what content might make run,
# the tooltips Material builds, and the (closed) shadow roots Mermaid draws into.
TRAP = """
window.__hb_trap = [];
window.__hb_tooltips = [];
window.__hb_shadows = [];
document.addEventListener("DOMContentLoaded", () => {
  window.__hb_diagrams = document.querySelectorAll("pre.mermaid").length;
  // No transitions: the navigation drawer is open as soon as it is asked to be.
  const style = document.createElement("style");
  style.textContent = "*, *::before, *::after { transition: none !important; }";
  document.head.append(style);
});
window.alert = (message) => { window.__hb_trap.push("alert:" + message); };
window.confirm = window.prompt = window.alert;
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  const root = attachShadow.call(this, init);
  window.__hb_shadows.push(root);
  return root;
};
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType === 1 && node.matches(".md-tooltip, .md-tooltip2, [role=tooltip]")) {
        window.__hb_tooltips.push(node.textContent);
      }
    }
  }
}).observe(document, { childList: true, subtree: true });
"""

# What one page shows, read once it has settled.
READ_PAGE = """
const cells = (row) => [...row.cells].reduce((n, cell) => n + cell.colSpan, 0);
const title = document.querySelector("title");
return {
  trap: window.__hb_trap,
  text: document.body.innerText,
  tooltips: window.__hb_tooltips,
  title: document.title,
  titleChildren: title ? [...title.children].map((e) => e.outerHTML) : [],
  titles: document.querySelectorAll("title").length,
  diagrams: window.__hb_shadows.map((root) => ({
    style: [...root.querySelectorAll("style")].map((style) => style.textContent).join(" "),
    text: [...root.querySelectorAll(".nodeLabel, .label, text")].map((e) => e.textContent),
  })),
  undrawn: window.__hb_diagrams - window.__hb_shadows.length,
  drawn: [...document.querySelectorAll(".hb-org-tree, .hb-flow")].map((e) => e.innerText),
  tables: [...document.querySelectorAll("table")].map((table) => ({
    header: table.rows.length ? cells(table.rows[0]) : 0,
    rows: [...table.rows].map((row) => [cells(row), [...row.cells].map((c) => c.innerText)]),
  })),
};
"""

# What the reply-script finder and Material's search show.
READ_SEARCH = """
const text = (selector) => document.querySelector(selector)?.innerText || "";
return { finder: text(".hb-answers"), material: text(".md-search-result__list") };
"""

# Every element with a title, or an <abbr>, within a part of the page: its
# key, whether it is displayed, and whether it may be tapped. Material turns
# titles into tooltips on hover (and titles the truncated .md-ellipsis labels
# it can see); the handbook's own tooltips open on a tap of a mark it made
# focusable. Links, buttons and labels are not tapped: they would navigate.
TOOLTIP_TARGETS = """
return [...document.querySelectorAll(arguments[0])].map((e) => [
  e,
  [e.tagName, e.className, e.getAttribute("title") || ""].join("|"),
  e.checkVisibility({ visibilityProperty: true }) && e.getClientRects().length > 0,
  e.tabIndex >= 0 && !e.closest("a, button, label, summary, input"),
]);
"""


@dataclass
class PageView:
    url: str
    trap: list[str]
    text: str
    tooltips: list[str]
    title: str
    title_children: list[str]
    titles: int
    diagrams: list[dict]
    undrawn: int
    drawn: list[str]
    tables: list[dict]


def settle(browser, seconds: float = 10) -> None:
    """Wait for the page to load and every Mermaid diagram to be drawn (or time out)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and browser.execute_script(
        "return document.readyState !== 'complete'"
        " || window.__hb_shadows.length < window.__hb_diagrams"
    ):
        time.sleep(0.05)


def hover(browser, element, seconds: float, tap: bool) -> bool:
    """Point at ``element`` for ``seconds`` (and ``tap`` it); ``False`` if not displayed."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(browser, duration=0)
    chain.scroll_to_element(element).move_to_element(element).pause(seconds)
    if tap:
        chain.click().pause(seconds)
    try:
        chain.perform()
    except WebDriverException:  # not displayed, or replaced meanwhile
        return False
    return True


def hover_tooltips(browser, hovered: set[str], nudged: set[str]) -> None:
    """Hover (and tap) each tooltip target of the page, its header and its drawer.

    Once per (element kind, class, title) in the site: the same title on
    another element of its kind becomes the same tooltip, so ``hovered`` is
    shared by all pages. The header shows the page's title once the page has
    scrolled; the navigation is in a drawer at phone size. A target not
    displayed (the header's logo at phone size, inside a closed <details>)
    gets the events a pointer would send, at the end (once: ``nudged``).
    """
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains

    hidden = {}

    def hover_all(selector: str) -> None:
        # From the corner first: a pointer already where an element is sends it
        # no mouseenter (the header sits at the same place on every page).
        chain = ActionChains(browser, duration=0)
        chain.w3c_actions.pointer_action.move_to_location(0, 0)
        chain.perform()
        for element, key, visible, tap in browser.execute_script(TOOLTIP_TARGETS, selector):
            # Long enough for Material to build the tooltip of a tagged title.
            seconds = 0.05 if "⟦" in key else 0.02
            if key in hovered:
                continue
            if visible and hover(browser, element, seconds, tap):
                hovered.add(key)
            else:
                hidden.setdefault(key, element)

    hover_all(":is([title], abbr):not(.md-sidebar--primary *)")
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    hover_all(".md-header [title]")
    browser.execute_script("document.getElementById('__drawer')?.click()")
    time.sleep(0.1)  # Material titles the labels it truncates once it sees them
    hover_all(".md-sidebar--primary [title]")
    for key, element in hidden.items():
        if key not in hovered and key not in nudged:
            nudged.add(key)
            with suppress(StaleElementReferenceException):
                browser.execute_script(
                    "const element = arguments[0];"
                    "element.dispatchEvent(new MouseEvent('mouseenter'));"
                    "setTimeout(() => element.dispatchEvent(new MouseEvent('mouseleave')), 100);",
                    element,
                )
    time.sleep(0.2)  # error handlers of anything a tooltip parsed


@dataclass
class Observed:
    pages: list[PageView]
    requested: list[str]
    search_tag: str
    """The question typed into the search box (the last page of ``pages``)."""
    search_results: dict[str, str]
    """What the reply-script finder and Material's search showed."""


@pytest.fixture(scope="module")
def observed(tagged_site, recording_server, browser) -> Observed:
    from selenium.webdriver.common.by import By

    tagged, site = tagged_site
    base, requested = recording_server
    urls = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        urls.append("/" + relative.removesuffix("index.html"))
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP})
    pages = []
    hovered: set[str] = set()
    nudged: set[str] = set()
    try:
        for url in urls:
            browser.get(base + url)
            settle(browser)
            hover_tooltips(browser, hovered, nudged)
            pages.append(PageView(url, **_renamed(browser.execute_script(READ_PAGE))))

        # The search box: the reply-script finder and Material's search both
        # render what matched. One question is typed with its tag, the way a
        # user would; with the payload too, Material's search would require
        # terms no page has ('"…"' makes a phrase) and show nothing.
        tag, (question,) = next(
            (tag, places)
            for tag, places in tagged.places.items()
            if places[0].path.endswith(".question")
        )
        text = _value_of(site.parent / "content" / question.file, question.path)
        browser.get(base + "/")
        settle(browser)
        browser.find_element(By.CSS_SELECTOR, 'label[for="__search"]').click()
        box = browser.find_element(By.CSS_SELECTOR, '[data-md-component="search-query"]')
        box.send_keys(text[: text.index(f"⟦{tag}⟧") + len(f"⟦{tag}⟧")])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            results = browser.execute_script(READ_SEARCH)
            if all(results.values()):
                break
            time.sleep(0.1)
        time.sleep(0.2)  # error handlers of anything the results parsed
        search = PageView("/ (search)", **_renamed(browser.execute_script(READ_PAGE)))
    finally:
        browser.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )
    return Observed([*pages, search], list(requested), tag, results)


def _renamed(view: dict) -> dict:
    view["title_children"] = view.pop("titleChildren")
    return view


def _value_of(file: Path, path: str) -> str:
    """The value at a field path such as ``scripts[0].question`` in a YAML file."""
    value = yaml.safe_load(file.read_text("utf-8"))
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        value = value[name] if name else value[int(index)]
    return value


def altered_tags(text: str) -> list[str]:
    """Tags in ``text`` not followed by their payload, exactly."""
    return [
        match.group(1)
        for match in MARKER.finditer(text)
        if not text.startswith(payload(match.group(1)), match.end())
    ]


def named(tagged: Tagged, tags) -> list[str]:
    """The content fields behind ``tags``."""
    return [f"{tag} = {' & '.join(map(str, tagged.places[tag]))}" for tag in dict.fromkeys(tags)]


# --- the assertions -----------------------------------------------------------


def test_every_string_of_the_content_is_enumerated(tagged_site):
    """Each string of the content is tagged or is an id, source or date; enough are found."""
    tagged, _ = tagged_site
    present = [places for places in tagged.places.values() if not places[0].added]
    linked = sum(len(places) - 1 for places in present)
    assert len(present) + linked + len(tagged.skipped) == tagged.strings, (
        "every string value in the content is either tagged or excluded by its schema"
    )
    rules = {rule for _, rule in tagged.skipped}
    assert rules <= {"pattern", "enum", "format"}, rules
    assert len(tagged.places) >= MINIMUM_FIELDS, (
        f"found only {len(tagged.places)} free-text fields ({len(present)} present, "
        f"{len(tagged.places) - len(present)} added, {len(tagged.skipped)} ids/sources skipped)"
    )


def test_nothing_from_content_runs(tagged_site, observed):
    """No trap ran on any page, and no page asked for the trap image."""
    tagged, _ = tagged_site
    report = []
    for page in observed.pages:
        if page.trap:
            fields = named(tagged, [entry for entry in page.trap if entry in tagged.places])
            dialogs = [entry for entry in page.trap if entry not in tagged.places]
            report.append(f"{page.url}: ran {'; '.join(fields + dialogs)}")
    fetched = [path for path in observed.requested if TRAP_IMAGE in path]
    images = sorted({path for path in observed.requested if path.endswith("/x")})
    assert not report and not fetched, (
        f"content ran on {len(report)} pages:\n"
        + "\n".join(report)
        + f"\nrequests for the trap image: {len(fetched)}"
        + f"\n<img src=x> requests (markup made from content): {images}"
    )


def test_search_results_show_text(observed):
    """The finder and Material's search both answer a tagged question, showing text."""
    finder, material = observed.search_results["finder"], observed.search_results["material"]
    assert shown(observed.search_tag) in finder, finder[:500]
    # Material's search marks its word boundaries in Chinese with zero-width
    # spaces. (Its highlighting also cuts an entity next to a highlighted
    # term: "<mark>⟦F1⟧&lt</mark>;img" shows "<;img"; so the typed question's
    # own tag is left out here.)
    material = material.replace("\u200b", "")
    # The same highlighting cut happens wherever a highlighted term meets an entity,
    # and which terms are highlighted varies with the results shown: undo the cut
    # (a ";" left behind a decoded character) before comparing.
    material = re.sub(r"""([<>&"']);""", r"\1", material)
    others = set(MARKER.findall(material)) - {observed.search_tag}
    assert others, f"Material's search showed no tagged text: {material[:300]!r}"
    altered = set(altered_tags(material)) - {observed.search_tag}
    assert not altered, f"altered in Material's search results: {sorted(altered)}"


def test_every_field_is_shown_as_text(tagged_site, observed):
    """Each tag is seen somewhere, followed by its payload exactly, unless allowed unseen."""
    tagged, _ = tagged_site
    seen: set[str] = set()
    broken: dict[str, set[str]] = defaultdict(set)
    for page in observed.pages:
        for text in [page.text, *page.tooltips]:
            for match in MARKER.finditer(text):
                tag = match.group(1)
                if text.startswith(payload(tag), match.end()):
                    seen.add(tag)
                else:
                    broken[tag].add(page.url)
    allowed = allowed_unseen(tagged)
    missing = [tag for tag in tagged.places if tag not in seen and tag not in allowed]
    lines = [
        f"{line}  (tag shown but payload altered on {sorted(broken[tag])[:3]})"
        if tag in broken
        else f"{line}  (tag never shown)"
        for tag, line in zip(missing, named(tagged, missing), strict=True)
    ]
    assert not missing, f"{len(missing)} fields not shown as literal text:\n" + "\n".join(lines)


def test_no_table_loses_a_cell(tagged_site, observed):
    """Every row has the header's cells, and each cell shows its text whole.

    Python-Markdown pads or cuts a row to the header's width, so a ``|`` that
    splits a cell also shows as a cell whose text is cut short.
    """
    tagged, _ = tagged_site
    problems = []
    for page in observed.pages:
        for number, table in enumerate(page.tables):
            for cells, texts in table["rows"]:
                where = f"{page.url} table {number}"
                if cells != table["header"]:
                    tags = MARKER.findall(" ".join(texts))
                    problems.append(
                        f"{where}: a row of {cells} cells, the header has {table['header']}: "
                        + "; ".join(named(tagged, tags))
                    )
                for column, text in enumerate(texts):
                    if altered_tags(text):
                        problems.append(
                            f"{where}: column {column} cut: {text[:60]!r}… "
                            + "; ".join(named(tagged, MARKER.findall(text)))
                        )
    assert not problems, f"{len(problems)} table cells lost or cut:\n" + "\n".join(problems)


def test_diagrams_are_drawn_at_build_time_with_labels_as_text(tagged_site, observed):
    """The diagrams are HTML drawn by the generator: no Mermaid runs in the browser
    (a directive in a label changes nothing), and every label shows as typed."""
    tagged, _ = tagged_site
    problems = []
    drawn = {page.url: page for page in observed.pages if page.drawn}
    assert {"/goals/", "/posts/complaints/"} <= set(drawn)
    for page in observed.pages:
        if page.diagrams or page.undrawn:
            problems.append(f"{page.url}: draws a diagram with Mermaid in the browser")
    for page in drawn.values():
        for number, labels in enumerate(page.drawn):
            where = f"{page.url} diagram {number}"
            altered = altered_tags(labels)
            if altered or not MARKER.search(labels):
                problems.append(
                    f"{where}: labels not shown as text: " + "; ".join(named(tagged, altered))
                )
    assert not problems, "\n".join(problems)


def test_tooltips_show_text(tagged_site, observed):
    """A title shown as a tooltip (a glossary term, a badge, a cut-off label) stays text."""
    tagged, _ = tagged_site
    altered: dict[str, set[str]] = defaultdict(set)
    for page in observed.pages:
        for tooltip in page.tooltips:
            for tag in altered_tags(tooltip):
                altered[tag].add(page.url)
    assert any(MARKER.search(tip) for page in observed.pages for tip in page.tooltips), (
        "no tooltip showed a tagged field: the hovering found no target"
    )
    lines = [
        f"{line}  on {len(altered[tag])} pages, e.g. {sorted(altered[tag])[0]}"
        for tag, line in zip(altered, named(tagged, altered), strict=True)
    ]
    assert not altered, f"{len(altered)} fields altered in tooltips:\n" + "\n".join(lines)


def test_page_titles_are_text(tagged_site, observed):
    """One <title> per page, without elements, showing its tagged field as typed."""
    tagged, _ = tagged_site
    problems = []
    for page in observed.pages:
        if page.titles != 1 or page.title_children:
            problems.append(f"{page.url}: {page.titles} <title>s, children {page.title_children}")
        for match in MARKER.finditer(page.title):
            if not page.title.startswith(payload(match.group(1)), match.end()):
                problems.append(
                    f"{page.url}: title {page.title[:80]!r}…: payload altered: "
                    + "; ".join(named(tagged, [match.group(1)]))
                )
        if not MARKER.search(page.title):
            problems.append(f"{page.url}: title {page.title[:120]!r} shows no tagged field")
    assert not problems, f"{len(problems)} page titles are not text:\n" + "\n".join(problems)
