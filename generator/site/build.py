"""Build and serve the site through MkDocs, safely.

``build_site`` builds into a fresh folder beside the target (the plugin
validates the content first and stops the build on any error) and only then
swaps it in: if anything fails, the last good site stays exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator import pages

PLUGIN_NAME = "handbook"
PROJECT_VARIABLE = "HANDBOOK_PROJECT"
"""The environment variable ``mkdocs.yml`` takes the centre from (``project: !ENV …``)."""


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


def _load_config(
    config_file: Path,
    content_dir: Path | None,
    *,
    project: str | None = None,
    draft: bool = False,
    **overrides: Any,
):
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
    plugin.config.project, plugin.config.draft = project, draft
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
    project: str | None = None,
    draft: bool = False,
) -> Path:
    """Validate, build into a staging folder, then swap it in place of ``site_dir``.

    ``pdf`` also prints every checklist to PDF; ``offline`` also writes a zip of
    the site that works from ``file://``, linked from the home page. ``project``
    builds that sales centre's site (``draft``: even with facts missing). The target
    is checked before any work (see ``refuse_unsafe_target``); staging folders
    are removed after any failure or interruption, and stale ones left by a
    killed build are removed by the next.
    """
    from mkdocs.exceptions import Abort, MkDocsException

    _quiet_mkdocs()
    edition = {"project": project, "draft": draft}
    config, plugin = _load_config(config_file, content_dir, **edition)
    target = (site_dir or Path(config.site_dir)).resolve()
    refuse_unsafe_target(
        target,
        sources=[
            Path(config.config_file_path).parent / plugin.config.content_dir,
            Path(config.config_file_path).parent / plugin.config.projects_dir,
            Path(config.docs_dir),
        ],
        project=config_file.parent,
    )
    unchanged = f"nothing was built; {_UNCHANGED}"
    with staged(target, unchanged) as staging:
        config.site_dir = str(staging)
        try:
            built = _mkdocs_build(config, plugin, pdf=pdf, offline_zip=offline)
            if pdf:
                from generator.site.pdf import PdfError, print_checklists

                post_ids = [post.id for post in built.plugins[PLUGIN_NAME].handbook.posts]
                try:
                    print_checklists(staging, post_ids, built.use_directory_urls)
                except PdfError as error:
                    raise BuildError(str(error)) from None
            if offline:
                with staged(target, unchanged, "offline") as work:
                    copy = work / "site"
                    copy_config, copy_plugin = _load_config(
                        config_file,
                        content_dir,
                        **edition,
                        site_dir=str(copy),
                        use_directory_urls=False,
                    )
                    _mkdocs_build(copy_config, copy_plugin, offline=True)
                    zip_path = staging / pages.OFFLINE_ZIP
                    zip_path.parent.mkdir(parents=True, exist_ok=True)
                    _zip_folder(copy, zip_path, root="handbook-offline")
            publish(staging, target, SITE_MARKER, MARKER_TEXT)
        except Abort:
            # MkDocs has already logged what went wrong (content errors, strict warnings).
            raise BuildError(unchanged) from None
        except MkDocsException as error:
            raise BuildError(f"{error}\n{unchanged}") from None
    return target


_UNCHANGED = "the previous site is unchanged."

SITE_MARKER = ".handbook-site"
"""A file every build writes at the top of the site: a folder holding it may be replaced."""
MARKER_TEXT = "Built by the handbook command; this folder is replaced by the next build.\n"
_STOCK_BUILD_FILES = ("sitemap.xml", "search/search_index.json", "404.html")
"""What a site built before the marker existed (or by plain ``mkdocs build``) holds."""


class UnsafeTarget(BuildError):
    """The site folder could not be replaced without destroying something else."""


def refuse_unsafe_target(
    target: Path,
    *,
    sources: list[Path],
    project: Path,
    marker: str = SITE_MARKER,
    what: str = "a site",
) -> None:
    """Refuse, before any work, a site folder whose replacement would lose files.

    A build replaces its target whole, so the target must be absent, empty or a
    previous build (it holds ``marker``, or, for a site, is recognisably a MkDocs site);
    it must not be or hold the project folder, and must not be, hold or lie
    inside a source folder (content, docs).
    """
    for folder in (*sources, project):
        folder = folder.resolve()
        if target == folder or target in folder.parents:
            relation = "is" if target == folder else "holds"
            raise UnsafeTarget(
                f"refusing to build into {target}: it {relation} {folder}, which the build "
                "would delete. Choose a separate folder for the site, e.g. site/."
            )
    for folder in sources:
        if folder.resolve() in target.parents:
            raise UnsafeTarget(
                f"refusing to build into {target}: it lies inside the source folder "
                f"{folder.resolve()}. Choose a folder outside it, e.g. site/."
            )
    if target.exists() and not target.is_dir():
        raise UnsafeTarget(f"refusing to build into {target}: it is a file, not a folder")
    if not target.exists() or _is_previous_build(target, marker):
        return
    raise UnsafeTarget(
        f"refusing to build into {target}: the folder is not empty and is not {what} this "
        f"command built (it has no {marker} file). Choose a new or empty folder, or "
        "move its files away first."
    )


def _is_previous_build(folder: Path, marker: str) -> bool:
    try:
        if not any(folder.iterdir()):
            return True
    except OSError as error:
        raise UnsafeTarget(f"cannot read {folder}: {_os_message(error)}") from None
    if (folder / marker).is_file():
        return True
    return marker == SITE_MARKER and all((folder / name).is_file() for name in _STOCK_BUILD_FILES)


def _staging_prefix(target: Path) -> str:
    return f".{target.name}-new-"


@contextmanager
def staged(target: Path, unchanged: str, purpose: str = "site") -> Iterator[Path]:
    """A fresh staging folder beside ``target``, removed afterwards whatever happens;
    a file-system error on the way is a ``BuildError`` ending with ``unchanged``."""
    staging = None
    try:
        staging = _make_staging(target, purpose)
        yield staging
    except OSError as error:
        raise BuildError(f"{_os_message(error)}\n{unchanged}") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _make_staging(target: Path, purpose: str = "site") -> Path:
    """A new folder beside ``target``, named after this process so a later build can tell
    whether the build that made it is still running."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(target)
    prefix = f"{_staging_prefix(target)}{os.getpid()}-{purpose}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))


def _remove_stale_staging(target: Path) -> None:
    """Remove staging folders of builds that are no longer running (killed, power cut)."""
    prefixes = (_staging_prefix(target), f".{target.name}-old-")
    for folder in target.parent.iterdir():
        if not folder.name.startswith(prefixes) or not folder.is_dir() or folder.is_symlink():
            continue
        pid = folder.name.removeprefix(prefixes[0]).removeprefix(prefixes[1]).split("-")[0]
        if pid.isdigit() and not _process_is_running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _process_is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def publish(staging: Path, target: Path, marker: str, marker_text: str) -> None:
    """Mark the finished ``staging`` folder as ours, open it to readers, put it at ``target``."""
    (staging / marker).write_text(marker_text, encoding="utf-8")
    _give_normal_permissions(staging)
    _swap(staging, target)


def _give_normal_permissions(folder: Path) -> None:
    """``mkdtemp`` makes a private folder (0700); a site is for a web server to read."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


def _os_message(error: OSError) -> str:
    where = f"{error.filename}: " if error.filename else ""
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        reason += " (check that you may write there, or choose another folder with -d)"
    return where + reason


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
    """Replace ``target`` by ``new`` with two renames, so readers never see half a site.

    Ctrl+C and SIGTERM wait until both renames are done: an interruption between
    them would leave no site at all.
    """
    old = None
    signals = {signal.SIGINT, signal.SIGTERM}
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        if target.exists():
            old = target.parent / f".{target.name}-old-{os.getpid()}-{new.name[-8:]}"
            target.rename(old)
        new.rename(target)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def serve_site(config_file: Path, *, dev_addr: str, project: str | None = None) -> None:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    _quiet_mkdocs(logging.INFO)  # "Serving on …" and each rebuild
    if not config_file.is_file():
        raise BuildError(f"{config_file}: MkDocs configuration not found")
    if project is not None:
        # MkDocs reloads mkdocs.yml on every rebuild; it names the centre by this variable.
        os.environ[PROJECT_VARIABLE] = project
    try:
        serve(config_file=str(config_file), dev_addr=dev_addr)
    except MkDocsException as error:
        raise BuildError(str(error)) from None
    except OSError as error:
        raise BuildError(f"cannot serve on {dev_addr}: {error.strerror}") from None
