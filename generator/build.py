"""Build and serve the site through MkDocs, safely.

``build_site`` builds into a fresh folder beside the target (the plugin
validates the content first and stops the build on any error) and only then
swaps it in: if anything fails, the last good site stays exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from . import pages

PLUGIN_NAME = "handbook"


class BuildError(Exception):
    pass


def _quiet_mkdocs(level: int = logging.WARNING) -> None:
    """Show MkDocs messages from ``level`` up as plain lines; silence Material's banner."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_handbook", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.setLevel(level)
        handler._handbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _load_config(config_file: Path, content_dir: Path | None, **overrides: Any):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.is_file():
        raise BuildError(f"{config_file}: MkDocs configuration not found")
    try:
        config = load_config(config_file=str(config_file), **overrides)
    except ConfigurationError as error:
        raise BuildError(f"{config_file}: {error}") from None
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise BuildError(f"{config_file}: the '{PLUGIN_NAME}' plugin is not enabled")
    if content_dir is not None:
        plugin.config.content_dir = str(content_dir.resolve())
    return config, plugin


def _mkdocs_build(
    config: Any, plugin: Any, *, offline: bool = False, **plugin_options: bool
) -> Any:
    """One MkDocs build; ``offline`` switches on Material's offline plugin (file:// copy)."""
    from mkdocs.commands.build import build

    for name, value in plugin_options.items():
        setattr(plugin.config, name, value)
    if offline:
        offline_plugin = config.plugins.get("material/offline")
        if offline_plugin is None:
            raise BuildError(
                f"{config.config_file_path}: add the 'offline' plugin to build the offline copy"
            )
        offline_plugin.config.enabled = True
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config, dirty=False)
    finally:
        config.plugins.on_shutdown()
    return config


def build_site(
    config_file: Path,
    *,
    content_dir: Path | None = None,
    site_dir: Path | None = None,
    pdf: bool = False,
    offline: bool = False,
) -> Path:
    """Validate, build into a staging folder, then swap it in place of ``site_dir``.

    ``pdf`` also prints every checklist to PDF; ``offline`` also writes a zip of
    the site that works from ``file://``, linked from the home page.
    """
    from mkdocs.exceptions import Abort, MkDocsException

    _quiet_mkdocs()
    config, plugin = _load_config(config_file, content_dir)
    target = (site_dir or Path(config.site_dir)).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    config.site_dir = str(staging)
    try:
        built = _mkdocs_build(config, plugin, pdf=pdf, offline_zip=offline)
        if pdf:
            from .pdf import PdfError, print_checklists

            post_ids = [post.id for post in built.plugins[PLUGIN_NAME].handbook.posts]
            try:
                print_checklists(staging, post_ids, built.use_directory_urls)
            except PdfError as error:
                raise BuildError(str(error)) from None
        if offline:
            with tempfile.TemporaryDirectory(prefix="handbook-offline-") as work:
                copy = Path(work) / "site"
                copy_config, copy_plugin = _load_config(
                    config_file, content_dir, site_dir=str(copy), use_directory_urls=False
                )
                _mkdocs_build(copy_config, copy_plugin, offline=True)
                zip_path = staging / pages.OFFLINE_ZIP
                zip_path.parent.mkdir(parents=True, exist_ok=True)
                _zip_folder(copy, zip_path, root="handbook-offline")
        _swap(staging, target)
    except Abort:
        # MkDocs has already logged what went wrong (content errors, strict warnings).
        raise BuildError("nothing was built; the previous site is unchanged.") from None
    except MkDocsException as error:
        raise BuildError(f"{error}\nnothing was built; the previous site is unchanged.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _zip_folder(folder: Path, zip_path: Path, root: str) -> None:
    """Zip ``folder`` under one top-level folder ``root``: stable order, fixed dates,
    so the same content always gives the same zip."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = f"{root}/{path.relative_to(folder).as_posix()}"
                entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, path.read_bytes())


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames, so readers never see half a site."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def serve_site(config_file: Path, *, dev_addr: str) -> None:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    _quiet_mkdocs(logging.INFO)  # "Serving on …" and each rebuild
    if not config_file.is_file():
        raise BuildError(f"{config_file}: MkDocs configuration not found")
    try:
        serve(config_file=str(config_file), dev_addr=dev_addr)
    except MkDocsException as error:
        raise BuildError(str(error)) from None
    except OSError as error:
        raise BuildError(f"cannot serve on {dev_addr}: {error.strerror}") from None
