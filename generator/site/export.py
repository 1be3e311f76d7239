"""``handbook export DIR``: the whole site source, buildable without this project.

Writes the generated pages, the project's ``docs/`` assets, the data files and
vendor scripts (``generator.site.sitefiles``), the theme overrides and a
``mkdocs.yml`` stating what the plugin would set at build time (site name,
navigation, footer, logo, theme overrides, the search dictionary). Any engine
that reads ``mkdocs.yml`` and runs Python-Markdown builds it as it stands:
MkDocs, ProperDocs, Zensical. Like ``handbook build`` it validates first,
writes into a fresh folder beside the target and swaps it in only when
everything succeeded, and only ever replaces a folder that is absent, empty or
a previous export.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.meta import YAML_RE as FRONT_MATTER

from generator.content import projects
from generator.content.vocabulary import domain_words, user_dictionary
from generator.errors import errors_of, format_text
from generator.render import rawhtml
from generator.render.markdown import render
from generator.site import assets, sitefiles
from generator.site.build import (
    PLUGIN_NAME,
    BuildError,
    _load_config,
    publish,
    refuse_unsafe_target,
    staged,
)

EXPORT_MARKER = ".handbook-export"
"""A file at the top of every export: a folder holding it may be replaced."""
MARKER_TEXT = "Written by `handbook export`; this folder is replaced by the next export.\n"
DOCS = "docs"
OVERRIDES = "overrides"
USER_DICTIONARY = "jieba-user-dictionary.txt"
"""The handbook's own words for the search plugin's jieba, relative to the export folder."""
HEADER = (
    "# Exported by `handbook export` from {source}; edit the content there, not here.\n"
    "# Build from this folder with any engine that reads mkdocs.yml, e.g. `mkdocs build`,\n"
    "# `properdocs build -f mkdocs.yml` or `zensical build`; no plugin of the project is needed.\n"
)
_UNCHANGED = "nothing was exported; the previous export is unchanged."


def export_site(
    config_file: Path,
    target: Path,
    *,
    content_dir: Path | None = None,
    offline: bool = False,
    centre: str | None = None,
    draft: bool = False,
) -> Path:
    """Write the site source of ``config_file``'s handbook to ``target``; return it.

    ``offline`` exports the variant that works from ``file://``: file URLs and
    Material's offline plugin switched on, with the site's own iframe-worker shim.
    ``centre`` exports that sales centre's handbook (``draft``: even with facts
    missing, every page then says 草稿), as ``handbook build --project`` builds it.
    """
    config, plugin = _load_config(config_file, content_dir)
    project = Path(config.config_file_path).parent
    content = project / plugin.config.content_dir
    projects_dir = project / plugin.config.projects_dir
    target = target.resolve()
    refuse_unsafe_target(
        target,
        sources=[content, projects_dir, Path(config.docs_dir)],
        project=project,
        marker=EXPORT_MARKER,
        what="an export",
    )
    result = projects.edition(content, projects_dir, centre, draft=draft)
    if not result.ok:
        raise BuildError(f"content has errors:\n{format_text(errors_of(result.problems))}")
    unsafe = sitefiles.unsafe_theme_features(config.theme.get("features", []))
    if unsafe:
        raise BuildError(f"{config_file}: {unsafe}")
    with staged(target, _UNCHANGED, "export") as staging:
        try:
            _write_export(staging, config, result.handbook, offline=offline)
            publish(staging, target, EXPORT_MARKER, MARKER_TEXT)
        except assets.AssetError as error:
            raise BuildError(f"{error}\n{_UNCHANGED}") from None
    return target


def _write_export(folder: Path, config: Any, handbook: Any, *, offline: bool) -> None:
    directory_urls = config.use_directory_urls and not offline
    docs = folder / DOCS
    source_docs = Path(config.docs_dir)
    shutil.copytree(
        source_docs,
        docs,
        ignore=lambda where, names: [
            name for name in names if sitefiles.is_placeholder(Path(where) / name)
        ],
    )
    pages = render(handbook, directory_urls=directory_urls)
    generated = {
        # Engines run without generator.render.rawhtml; unmarked, the blocks are plain raw HTML.
        **{uri: rawhtml.without_markers(text) for uri, text in pages.items()},
        **sitefiles.data_files(handbook, directory_urls=directory_urls),
    }
    for uri, text in generated.items():
        path = docs / uri
        if path.exists():
            raise BuildError(f"{source_docs / uri} clashes with a generated page; remove it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # What the plugin puts at the top of every page of an example or draft centre's site,
    # after the page's front matter (as MkDocs finds it).
    banner = sitefiles.edition_banner(handbook.centre)
    if banner:
        for page in docs.rglob("*.md"):
            text = page.read_text(encoding="utf-8")
            front = FRONT_MATTER.match(text)
            at = front.end() if front else 0
            page.write_text(f"{text[:at]}{banner}\n{text[at:]}", encoding="utf-8")
    for uri, source in sitefiles.vendor_files().items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, docs / uri)
    overrides = folder / OVERRIDES
    if config.theme.custom_dir:
        shutil.copytree(config.theme.custom_dir, overrides)
    overrides.mkdir(exist_ok=True)
    for template in sitefiles.THEME_OVERRIDES.iterdir():
        if template.is_file() and not (overrides / template.name).exists():
            shutil.copyfile(template, overrides / template.name)
    (folder / USER_DICTIONARY).write_text(user_dictionary(domain_words(handbook)), encoding="utf-8")
    settings = _settings(Path(config.config_file_path), handbook, offline=offline)
    (folder / "mkdocs.yml").write_text(
        HEADER.format(source=Path(config.config_file_path).name)
        + yaml.dump(settings, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8",
    )


def _settings(config_file: Path, handbook: Any, *, offline: bool) -> dict[str, Any]:
    """The project's mkdocs.yml as written, with what the plugin sets at build time."""
    with config_file.open(encoding="utf-8") as file:
        settings = yaml.load(file, Loader=_Loader) or {}
    settings["site_name"] = sitefiles.site_name_html(handbook)
    settings["docs_dir"] = DOCS
    settings["site_dir"] = "site"
    settings["copyright"] = sitefiles.copyright_html(handbook)
    theme = settings.setdefault("theme", {})
    if isinstance(theme, str):
        theme = settings["theme"] = {"name": theme}
    theme.update(sitefiles.theme_settings(handbook))
    theme["custom_dir"] = OVERRIDES
    extra = settings.setdefault("extra", {})
    extra.update(sitefiles.EXTRA)
    plugins = []
    for entry in settings.get("plugins") or []:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        options = dict(options or {})
        if name == PLUGIN_NAME:
            continue
        if name in ("search", "material/search"):
            options["jieba_dict_user"] = USER_DICTIONARY
        if name in ("offline", "material/offline"):
            options["enabled"] = offline
        plugins.append({name: options} if options else name)
    settings["plugins"] = plugins
    if offline and not any(
        (entry if isinstance(entry, str) else next(iter(entry))) in ("offline", "material/offline")
        for entry in plugins
    ):
        raise BuildError(f"{config_file}: add the 'offline' plugin to export the offline copy")
    if offline:
        settings["use_directory_urls"] = False
        # Material's offline plugin would add the shim from a CDN; the site serves its own.
        extra["polyfills"] = [sitefiles.IFRAME_WORKER_URI]
    settings["nav"] = settings.get("nav") or sitefiles.navigation(handbook)
    return settings


class _Tagged:
    """A value with a YAML tag (``!!python/name:…``, ``!ENV``), written back as it was."""

    def __init__(self, tag: str, node: yaml.Node, value: Any) -> None:
        self.tag, self.node_type, self.value = tag, type(node), value


class _Loader(yaml.SafeLoader):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.SequenceNode):
        value: Any = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:
        value = loader.construct_scalar(node)
    return _Tagged(node.tag, node, value)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Loader.add_multi_constructor("!", _construct_tagged)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if data.node_type is yaml.SequenceNode:
        return dumper.represent_sequence(data.tag, data.value)
    if data.node_type is yaml.MappingNode:
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Dumper.add_representer(_Tagged, _represent_tagged)
