"""Build every sales centre's site: ``handbook build --all-projects -d DIR``.

The base is loaded and validated once, every centre's overlay is checked
before any site is built (one bad centre stops the run, as one bad file stops a
build), and the centres are then built one MkDocs build each, side by side in
``jobs`` worker processes forked after the loading: they share the validated
base, the imported modules and the segmenter without reading anything again.
Each centre's site replaces ``DIR/<id>/`` only when it built, as
``handbook build`` does for one site.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.content import projects
from generator.errors import Severity, errors_of, format_text
from generator.render import answers
from generator.site.build import BuildError, _load_config, build_site


@dataclass(frozen=True)
class CentreBuild:
    """One row of the closing table."""

    centre_id: str
    pages: int
    filled: str
    warnings: int
    seconds: float


@dataclass(frozen=True)
class _Job:
    config_file: Path
    content_dir: Path | None
    out_dir: Path
    pdf: bool
    offline: bool
    draft: bool
    summaries: dict[str, tuple[str, int]]
    """Centre id → (facts filled, warnings), found when the overlays were checked."""


def _build_one(job: _Job, centre_id: str) -> CentreBuild:
    started = time.perf_counter()
    target = build_site(
        job.config_file,
        content_dir=job.content_dir,
        site_dir=job.out_dir / centre_id,
        pdf=job.pdf,
        offline=job.offline,
        project=centre_id,
        draft=job.draft,
    )
    pages = sum(1 for _ in target.rglob("index.html"))
    filled, warnings = job.summaries[centre_id]
    return CentreBuild(centre_id, pages, filled, warnings, time.perf_counter() - started)


def _build_in_worker(arguments: tuple[_Job, str]) -> CentreBuild | str:
    try:
        return _build_one(*arguments)
    except BuildError as error:
        return f"{arguments[1]}: {error}"


def _share_unchanging_files(config) -> None:
    """Read once, before the workers fork, what every centre's build reads the same way:
    the theme's file list (thousands of icons, listed by every MkDocs build) and
    jieba's dictionary of common words (for the answer search)."""
    import jinja2

    listing = jinja2.FileSystemLoader.list_templates
    listed: dict[tuple[str, ...], list[str]] = {}

    def list_once(loader: jinja2.FileSystemLoader) -> list[str]:
        key = tuple(map(str, loader.searchpath))
        if key not in listed:
            listed[key] = listing(loader)
        return list(listed[key])

    # This process only builds: no theme file appears or goes away while it runs.
    jinja2.FileSystemLoader.list_templates = list_once
    config.theme.get_env().list_templates()
    answers.common_words()


def build_all(
    config_file: Path,
    out_dir: Path,
    *,
    content_dir: Path | None = None,
    pdf: bool = False,
    offline: bool = False,
    draft: bool = False,
    jobs: int = 1,
    progress: Callable[[int, int, CentreBuild], None] = lambda done, total, row: None,
) -> list[CentreBuild]:
    """Build every centre into ``out_dir/<id>/``; rows in centre order."""
    config, plugin = _load_config(config_file, content_dir)  # imports MkDocs and the theme once
    root = Path(config.config_file_path).parent
    content = root / plugin.config.content_dir
    projects_dir = root / plugin.config.projects_dir
    base = projects.preload(content)
    if not base.ok:
        raise BuildError(
            format_text(errors_of(base.problems)) + "\nnothing was built; the sites are unchanged."
        )
    centre_ids = projects.centre_ids(projects_dir)
    if not centre_ids:
        raise BuildError(f"no centres in {projects_dir} (each is a folder with centre.yml)")
    problems = []
    summaries = {}
    for centre_id in centre_ids:
        result = projects.load_centre(base, projects_dir, centre_id, draft=draft)
        problems.extend(errors_of(result.problems))
        if result.handbook is not None:
            facts = result.handbook.project.facts
            summaries[centre_id] = (
                f"{sum(1 for f in facts if f.value)}/{len(facts)}",
                sum(1 for p in result.problems if p.severity is Severity.warning),
            )
    if problems:
        raise BuildError(
            format_text(problems) + f"\n{len(problems)} error(s); nothing was built; "
            "the sites are unchanged (--draft builds centres with facts missing)."
        )
    _share_unchanging_files(config)
    job = _Job(config_file, content_dir, out_dir, pdf, offline, draft, summaries)
    rows: dict[str, CentreBuild] = {}
    failures: list[str] = []
    # Everything loaded so far is shared by the workers; keep the collector off it.
    gc.freeze()
    if jobs <= 1 or len(centre_ids) == 1:
        for centre_id in centre_ids:
            rows[centre_id] = _build_one(job, centre_id)
            progress(len(rows), len(centre_ids), rows[centre_id])
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(jobs, len(centre_ids))) as pool:
            arguments = [(job, centre_id) for centre_id in centre_ids]
            for outcome in pool.imap_unordered(_build_in_worker, arguments):
                if isinstance(outcome, str):
                    failures.append(outcome)
                    continue
                rows[outcome.centre_id] = outcome
                progress(len(rows), len(centre_ids), outcome)
            # Let the idle workers exit on their own: leaving the block terminates them with
            # SIGTERM, which `handbook build` turns into KeyboardInterrupt, and a worker
            # interrupted while taking the task queue's lock leaves it held, so the pool hung.
            pool.close()
            pool.join()
    if failures:
        raise BuildError("\n".join(failures))
    return [rows[centre_id] for centre_id in centre_ids]
