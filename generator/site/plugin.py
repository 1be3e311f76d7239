"""MkDocs plugin: the handbook's pages, generated from ``content/`` at build time.

Glue only: what the site is made of comes from ``generator.site.sitefiles``, which
``handbook export`` writes out for other engines. ``on_config`` loads and
validates the content, sets the navigation and puts the fast search index
(``generator.site.search``) in place of Material's; ``on_files`` adds the rendered
pages and data files as virtual files (nothing is written into ``docs/``) in
place of the placeholder ``docs/index.md``; ``on_env`` keeps the theme's
compiled templates between builds; ``on_serve`` watches the content folder so
``mkdocs serve`` reloads when YAML changes. The instance lives across ``serve``
rebuilds, so a rebuild reuses the search entries of every page the edit left
unchanged.
"""

from __future__ import annotations

import html
import os
import sys
from importlib.metadata import version
from pathlib import Path

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.content import projects
from generator.content.vocabulary import SEGMENTER, WORD_FREQUENCY, domain_words, user_dictionary
from generator.errors import Severity, errors_of, format_text
from generator.render.markdown import render
from generator.render.rawhtml import RawHtmlExtension
from generator.site import assets, sitefiles
from generator.site.search import CachedSearchIndex, PageCache

log = get_plugin_logger(__name__)

_GIVEN_TO_JIEBA: set[str] = set()
"""Words already added to jieba's process-wide dictionary (for Material's own search)."""

TEMPLATE_CACHE = ".cache/handbook/templates"
"""Compiled Jinja templates (the theme's and the generator's), relative to mkdocs.yml."""
SEARCH_CACHE = ".cache/handbook/search{}.json"
"""Each page's search entries, kept between builds, relative to mkdocs.yml; one file per
URL style, so the two builds of ``handbook build --offline`` do not evict each other.
Sales centres share it: most of their pages are the same (it is written whole, by rename,
so centres built side by side never leave it half-written)."""
USER_DICTIONARY = ".cache/handbook/jieba-user-dictionary.txt"
"""The jieba user dictionary handed to Material's own search, relative to mkdocs.yml."""


def _bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in ``folder``, or none where it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def _add_theme_overrides(config: MkDocsConfig) -> None:
    """Put the generator's theme overrides just before the theme's own templates, after
    any custom_dir."""
    dirs = config.theme.dirs
    overrides = str(sitefiles.THEME_OVERRIDES)
    if overrides in dirs:
        return
    theme_dir = next(
        (i for i, folder in enumerate(dirs) if Path(folder).parent.name == config.theme.name),
        0,
    )
    dirs.insert(theme_dir, overrides)


ERROR_PAGE = "index.md"
"""Under ``serve``, the one page shown while the content has errors and never built."""


def _error_banner(errors: str, after: str) -> str:
    return (
        '<div class="admonition danger hb-content-errors" data-search-exclude>'
        '<p class="admonition-title">内容有错误,修改并保存后页面会自动更新</p>'
        f"<pre>{html.escape(errors)}</pre><p>{after}</p></div>\n"
    )


def _error_page(errors: str) -> str:
    return f"# 内容有错误\n\n{_error_banner(errors, '修正后这里会显示手册。')}"


class HandbookConfig(base.Config):
    content_dir = c.Type(str, default="content")
    """Folder of the YAML content, relative to ``mkdocs.yml``."""
    search_dictionary = c.Type(bool, default=True)
    """Keep the handbook's own words (答客词, 秩序维护 …) whole in the search index."""
    fast_search = c.Type(bool, default=True)
    """Swap Material's search index for the one of ``generator.site.search`` (same output)."""
    fast_markdown = c.Type(bool, default=True)
    """Pass the generator's raw HTML blocks through unparsed (``generator.render.rawhtml``; same output)."""
    pdf = c.Type(bool, default=False)
    """Link the checklist PDFs (set by ``handbook build --pdf``, which writes them)."""
    offline_zip = c.Type(bool, default=False)
    """Link the offline copy (set by ``handbook build --offline``, which writes it)."""
    project = c.Optional(c.Type(str))
    """The sales centre to build (a folder of ``projects_dir``); none: the 通用版 of the base.
    Set by ``handbook build --project``; ``mkdocs.yml`` reads it from ``HANDBOOK_PROJECT``."""
    projects_dir = c.Type(str, default=projects.PROJECTS_DIR)
    """Folder of the sales centres, relative to ``mkdocs.yml``."""
    draft = c.Type(bool, default=False)
    """Build a centre with facts missing, every page marked 草稿 (``handbook build --draft``)."""


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance, and its caches, across `mkdocs serve` rebuilds.
        self.search_pages: PageCache | None = None
        self.serving = command == "serve"
        self.handbook = None

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        self.content_dir = Path(config.config_file_path).parent / self.config.content_dir
        self.projects_dir = Path(config.config_file_path).parent / self.config.projects_dir
        cache = Path(config.config_file_path).parent / TEMPLATE_CACHE
        self.theme_templates = _bytecode_cache(cache / "theme")
        self.page_templates = _bytecode_cache(cache / "pages")
        # A preview is never published: a centre with facts missing shows as a draft.
        draft = self.config.draft or getattr(self, "serving", False)
        result = projects.edition(
            self.content_dir, self.projects_dir, self.config.project, draft=draft
        )
        for problem in result.problems:
            if problem.severity is Severity.warning:
                # Not a warning here: empty project facts must not fail --strict builds,
                # and `handbook check` lists them.
                log.debug(str(problem))
        unsafe = sitefiles.unsafe_theme_features(config.theme.get("features", []))
        if unsafe:
            raise PluginError(unsafe)
        self.content_errors = ""
        if result.ok:
            self.handbook = result.handbook
        elif getattr(self, "serving", False):
            # A preview must not hang on a half-saved file: show the errors in the
            # browser, on the last good pages if there are any, until the file is fixed.
            self.content_errors = format_text(errors_of(result.problems))
            # Not through the MkDocs log: under `strict`, an error there aborts the preview.
            sys.stderr.write(f"content has errors:\n{self.content_errors}\n")
            if getattr(self, "handbook", None) is None:
                config.nav = [{"内容有错误": ERROR_PAGE}]
                return config
        else:
            raise PluginError("content has errors:\n" + format_text(errors_of(result.problems)))
        config.site_name = sitefiles.site_name_html(self.handbook)
        if self.config.fast_markdown:
            config.markdown_extensions.append(RawHtmlExtension())
        if not config.nav:
            config.nav = sitefiles.navigation(self.handbook)
        _add_theme_overrides(config)
        if not self.config.fast_search:
            self._hand_dictionary_to_search(config)
        try:
            self.vendor = sitefiles.vendor_files()
        except assets.AssetError as error:
            raise PluginError(str(error)) from None
        self._company_look(config)
        # Material's offline plugin (listed before this one) adds this shim from a CDN.
        config.extra["polyfills"] = sitefiles.local_polyfills(config.extra.get("polyfills", []))
        return config

    @event_priority(-100)
    def _speed_up_search(self, config: MkDocsConfig) -> None:
        """After Material's search plugin has set itself up, give it the fast index."""
        search = config.plugins.get("material/search")
        if not (self.config.fast_search and search is not None and search.config.enabled):
            return
        if self.handbook is None:
            return
        if self.config.search_dictionary:
            SEGMENTER.add_words(domain_words(self.handbook), WORD_FREQUENCY)
        identity = f"{SEGMENTER.identity}, mkdocs-material {version('mkdocs-material')}"
        search_pages = getattr(self, "search_pages", None)
        if search_pages is None or search_pages.identity != identity:
            style = "" if config.use_directory_urls else "-file-urls"
            path = Path(config.config_file_path).parent / SEARCH_CACHE.format(style)
            search_pages = self.search_pages = PageCache(path, identity)
        search.search_index = CachedSearchIndex(SEGMENTER, search_pages, **search.config)

    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        search_pages = getattr(self, "search_pages", None)
        if search_pages is not None:
            search_pages.end_build()
            # Under `serve` the cache stays in memory and is written once, at shutdown.
            if not getattr(self, "serving", False):
                search_pages.save()

    def on_shutdown(self) -> None:
        search_pages = getattr(self, "search_pages", None)
        if search_pages is not None:
            search_pages.save()

    on_config = CombinedEvent(_configure, _speed_up_search)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        placeholder = files.get_file_from_path(sitefiles.PLACEHOLDER)
        if placeholder is not None and sitefiles.is_placeholder(Path(placeholder.abs_src_path)):
            files.remove(placeholder)
        if self.handbook is None:
            files.append(
                File.generated(config, ERROR_PAGE, content=_error_page(self.content_errors))
            )
            return files
        rendered = render(
            self.handbook,
            pdf=self.config.pdf,
            offline_zip=self.config.offline_zip,
            directory_urls=config.use_directory_urls,
            bytecode_cache=self.page_templates,
        )
        for src_uri, markdown in rendered.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                raise PluginError(f"docs/{src_uri} clashes with a generated page; remove it")
            files.append(File.generated(config, src_uri, content=markdown))
        data = sitefiles.data_files(self.handbook, directory_urls=config.use_directory_urls)
        for uri, content in data.items():
            files.append(
                File.generated(config, uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            )
        for uri, path in self.vendor.items():
            files.append(
                File.generated(
                    config, uri, abs_src_path=str(path), inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
        return files

    def _company_look(self, config: MkDocsConfig) -> None:
        """Logo, favicon and footer from handbook.yml, not the theme's defaults."""
        for key, value in sitefiles.theme_settings(self.handbook).items():
            config.theme[key] = value
        config.extra.update(sitefiles.EXTRA)
        config.copyright = sitefiles.copyright_html(self.handbook)

    def on_page_content(self, html: str, /, *, page, config: MkDocsConfig, files: Files) -> str:
        if self.handbook is not None:
            html = sitefiles.edition_banner(self.handbook.centre) + html
        if not self.content_errors or page.file.src_uri == ERROR_PAGE and self.handbook is None:
            return html
        return _error_banner(self.content_errors, "下面是上次成功生成的页面。") + html

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files):
        # MkDocs makes a new theme environment for every build, and compiling the
        # theme's templates took a third of a second on each `serve` rebuild.
        env.bytecode_cache = self.theme_templates
        return env

    def _hand_dictionary_to_search(self, config: MkDocsConfig) -> None:
        """Give Material's own search a jieba user dictionary of the handbook's own words.

        Runs in on_config before the search plugin's (plugins run in mkdocs.yml order).
        jieba's dictionary is process-wide and re-adding a word shifts its word
        frequencies, so each word is handed over once per process: rebuilds under
        ``mkdocs serve`` and repeated builds segment exactly like the first.
        """
        search = config.plugins.get("material/search")
        if not self.config.search_dictionary or search is None:
            return
        words = [word for word in domain_words(self.handbook) if word not in _GIVEN_TO_JIEBA]
        if not words:
            return
        path = Path(config.config_file_path).parent / USER_DICTIONARY
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(user_dictionary(words), encoding="utf-8")
        search.config.jieba_dict_user = str(path)
        _GIVEN_TO_JIEBA.update(words)

    def on_serve(self, server, /, *, config: MkDocsConfig, builder) -> None:
        server.watch(str(self.content_dir), recursive=True)
        if self.config.project is not None:
            server.watch(str(self.projects_dir / self.config.project), recursive=True)
