"""What the generator adds to the site besides ``docs/``, for any engine.

The MkDocs plugin hands these to MkDocs as virtual files; ``handbook export``
writes them to a folder any engine reading ``mkdocs.yml`` can build. One list,
so both paths produce the same site.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator import pages
from generator.content import projects
from generator.model import Centre, Handbook
from generator.render.answers import ASSET_URI as ANSWERS_DATA_URI
from generator.render.answers import answers_script
from generator.render.finder import ASSET_URI as FINDER_DATA_URI
from generator.render.finder import finder_script
from generator.render.printmargin import ASSET_URI as PRINT_MARGIN_URI
from generator.render.printmargin import print_margin_css
from generator.render.text import TextFormatter, escape_html
from generator.site import assets

IFRAME_WORKER_URI = "assets/vendor/iframe-worker-shim.js"
"""Where the site serves the shim Material's offline plugin would load from a CDN."""

VENDOR_SCRIPTS = {IFRAME_WORKER_URI: assets.IFRAME_WORKER}
"""Site path → the pinned third-party script served there."""

DATA_FILES: dict[str, Callable[..., str]] = {
    FINDER_DATA_URI: finder_script,
    ANSWERS_DATA_URI: answers_script,
    PRINT_MARGIN_URI: print_margin_css,
}
"""Site path → the function writing that file from the handbook (browser data, print margin)."""

THEME_OVERRIDES = Path(__file__).parent / "theme"
"""Templates that take precedence over the theme's own (see ``theme/main.html``)."""

PLACEHOLDER = "index.md"
"""The one page in ``docs/``: what an engine that skipped the generator builds (see there)."""
PLACEHOLDER_MARK = "<!-- handbook:placeholder -->"
"""The first line of ``docs/index.md``; a generated home page replaces a page that has it."""


def data_files(handbook: Handbook, *, directory_urls: bool) -> dict[str, str]:
    return {
        uri: write(handbook, directory_urls=directory_urls) for uri, write in DATA_FILES.items()
    }


def vendor_files() -> dict[str, Path]:
    """Site path → local copy of each vendor script (raises ``assets.AssetError``)."""
    return {uri: assets.local_path(asset) for uri, asset in VENDOR_SCRIPTS.items()}


def is_placeholder(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as file:
            return file.readline().strip() == PLACEHOLDER_MARK
    except OSError:
        return False


UNSAFE_THEME_FEATURE = "content.tooltips"
"""Material's tooltips insert an element's title (and a cut-off title's text) as HTML."""


def unsafe_theme_features(features: Iterable[str]) -> str | None:
    """Why the theme settings would let content text run as script, or ``None``."""
    if UNSAFE_THEME_FEATURE not in features:
        return None
    return (
        f"theme feature '{UNSAFE_THEME_FEATURE}' shows titles as HTML, so text from "
        "the content could run as script; remove it from mkdocs.yml (the handbook "
        "shows its own tooltips)"
    )


def local_polyfills(polyfills: Iterable[Any]) -> list[Any]:
    """``extra.polyfills`` with the CDN's iframe-worker shim replaced by the site's copy."""
    return [IFRAME_WORKER_URI if "iframe-worker" in str(url) else url for url in polyfills]


def site_name_html(handbook: Handbook) -> str:
    """The site name as escaped HTML text: the theme writes titles into the page as HTML."""
    plain_html = TextFormatter.for_handbook(handbook, glossary=False).plain_html
    return plain_html(projects.site_title(handbook))


def navigation(handbook: Handbook) -> list[Any]:
    title_html = TextFormatter.for_handbook(handbook, glossary=False).plain_html
    return pages.navigation(pages.plan(handbook), title_html)


def theme_settings(handbook: Handbook) -> dict[str, str]:
    """Logo and favicon from handbook.yml, where it gives them."""
    meta = handbook.meta
    return {key: value for key, value in (("logo", meta.logo), ("favicon", meta.favicon)) if value}


EXTRA = {"generator": False}
"""No "Made with Material for MkDocs": the footer names the company's handbook."""


def copyright_html(handbook: Handbook) -> str:
    meta = handbook.meta
    parts = (meta.organisation or "", f"{projects.site_title(handbook)} 版本 {meta.version}")
    return html.escape(" · ".join(part for part in parts if part))


def edition_banner(centre: Centre | None) -> str:
    """The banner at the top of every page of an example or draft site (HTML)."""
    if not projects.edition_mark(centre):
        return ""
    lines = []
    if centre.example:
        lines.append(
            f"示例站点：{centre.name}是虚构的示例案场，页面上的地址、电话、价格等信息均为"
            "示例，不能用来答复客户。"
        )
    if centre.draft:
        lines.append("草稿：本案场的项目信息尚未填全，仅供内部校对，不得发布或用于接待客户。")
    kind = " hb-edition--draft" if centre.draft else ""
    body = "".join(f"<p>{escape_html(line)}</p>" for line in lines)
    return f'<div class="hb-edition{kind}" role="note" data-search-exclude>{body}</div>\n'
