"""The ``handbook`` command: check, build, export, serve, stats, schema.

Exit codes: 0 success; 1 content errors or a failed build; 2 bad arguments.
Errors reach the user as ``FILE:LINE:COL: field: message`` lines, never as a
traceback. MkDocs is imported only by the commands that build.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from pathlib import Path

import click

from generator.content.validate import validate
from generator.errors import consistency_warnings, errors_of, format_json, format_text

CONTENT_OPTION = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Content folder (default: the one named in mkdocs.yml, usually content/).",
)
PROJECT_OPTION = click.option(
    "--project",
    "project",
    default=None,
    metavar="ID",
    help="A sales centre of projects/ (default: the 通用版 of the base handbook).",
)
DRAFT_OPTION = click.option(
    "--draft",
    is_flag=True,
    help="A centre even with facts missing; every page and sheet says 草稿.",
)
CONFIG_OPTION = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's MkDocs configuration.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sales-handbook-site")
def cli() -> None:
    """Publish the handbook in content/ as a searchable, printable site."""


@cli.command()
@CONTENT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print problems as JSON.")
@click.option(
    "--strict",
    is_flag=True,
    help="Also exit 1 on consistency warnings (bare figures, near-duplicate scripts, "
    "undefined role names, sales facts outside the sales side). Warnings about empty "
    "project facts (待填写) never count: they are empty by design until a centre fills them.",
)
@click.option(
    "--all-projects",
    is_flag=True,
    help="Also check every sales centre of projects/ and report how complete each is.",
)
def check(content_dir: Path | None, as_json: bool, strict: bool, all_projects: bool) -> None:
    """Validate the content and check it for consistency; exit 1 if it has errors.

    Consistency warnings name the file, line and a hint; with --strict they fail the check.
    """
    from dataclasses import replace

    from generator.content.checks import consistency

    if all_projects:
        from generator.project_reports import check_all

        sys.exit(check_all(content_dir or Path("content"), as_json=as_json))
    result = validate(content_dir or Path("content"))
    if result.ok:
        result = replace(result, problems=[*result.problems, *consistency(result)])
    if as_json:
        click.echo(format_json(result.problems))
    elif result.problems:
        click.echo(format_text(result.problems), err=True)
    errors = errors_of(result.problems)
    if errors or not result.ok:
        if not as_json:
            click.echo(f"{len(errors)} error(s); nothing was built.", err=True)
        sys.exit(1)
    failing = consistency_warnings(result.problems)
    if not as_json:
        warnings = len(result.problems)
        click.echo(
            f"content is valid ({warnings} warning(s), {len(failing)} about consistency)."
            if warnings
            else "content is valid."
        )
    if strict and failing:
        if not as_json:
            click.echo(f"--strict: {len(failing)} consistency warning(s).", err=True)
        sys.exit(1)


@cli.command()
@CONTENT_OPTION
@CONFIG_OPTION
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False),
    default=None,
    callback=lambda _context, _option, value: _not_empty(value),
    help="Where to write the site (default: site_dir of mkdocs.yml).",
)
@click.option(
    "--pdf", is_flag=True, help="Also print each checklist to PDF with headless Chromium."
)
@click.option("--offline", is_flag=True, help="Also write a zip of the site that works offline.")
@PROJECT_OPTION
@click.option(
    "--all-projects",
    is_flag=True,
    help="Build every sales centre of projects/ into SITE/<id>/ (needs -d SITE).",
)
@DRAFT_OPTION
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="With --all-projects: centres built side by side, one process each.",
)
def build(
    content_dir: Path | None,
    config_file: Path,
    site_dir: Path | None,
    pdf: bool,
    offline: bool,
    project: str | None,
    all_projects: bool,
    draft: bool,
    jobs: int,
) -> None:
    """Validate, generate and build the site; on failure the old site is left as it was."""
    from generator.site.build import BuildError, build_site

    _collect_garbage_less_often()
    signal.signal(signal.SIGTERM, _stop)
    if all_projects and (project is not None or site_dir is None):
        raise click.UsageError("--all-projects needs -d DIR and no --project")
    try:
        if all_projects:
            from generator.project_reports import build_all_command

            build_all_command(config_file, site_dir, content_dir, pdf, offline, draft, jobs)
            return
        target = build_site(
            config_file,
            content_dir=content_dir,
            site_dir=site_dir,
            pdf=pdf,
            offline=offline,
            project=project,
            draft=draft,
        )
    except BuildError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        unchanged = (
            "the centres not yet built are unchanged."
            if all_projects
            else "nothing was changed, the previous site is intact."
        )
        click.echo(f"build stopped; {unchanged}", err=True)
        sys.exit(130)
    click.echo(f"site built in {target}")


@cli.command()
@CONTENT_OPTION
@CONFIG_OPTION
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--offline", is_flag=True, help="Export the variant that works from file://.")
@PROJECT_OPTION
@DRAFT_OPTION
def export(
    content_dir: Path | None,
    config_file: Path,
    folder: Path,
    offline: bool,
    project: str | None,
    draft: bool,
) -> None:
    """Write the site source (pages, assets, mkdocs.yml) that any engine reading
    mkdocs.yml builds without this project: MkDocs, ProperDocs, Zensical."""
    from generator.site.build import BuildError
    from generator.site.export import export_site

    try:
        target = export_site(
            config_file,
            folder,
            content_dir=content_dir,
            offline=offline,
            centre=project,
            draft=draft,
        )
    except BuildError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"site source exported to {target}; build it there, e.g. `mkdocs build`")


def _not_empty(value: str | None) -> Path | None:
    # An unset shell variable (-d "$SITE") must not mean the current folder.
    if value is not None and not value.strip():
        raise click.BadParameter("is empty; name the folder to write the site to")
    return None if value is None else Path(value)


def _stop(_signal_number: int, _frame: object) -> None:
    """SIGTERM stops a build as Ctrl+C does, so its staging folder is removed."""
    raise KeyboardInterrupt


def _collect_garbage_less_often() -> None:
    """Tune Python's garbage collector for one build in a short-lived process.

    A build allocates millions of short-lived objects (parse trees, search
    sections, template output); collecting after every 100,000 allocations
    rather than 700 takes about 5 % off a build of 10,000 scripts. What is
    loaded up to here (modules, classes) is kept out of collections.
    """
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


@cli.command()
@CONFIG_OPTION
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True)
@PROJECT_OPTION
def serve(config_file: Path, dev_addr: str, project: str | None) -> None:
    """Live preview: rebuilds and reloads the browser when content (or the centre) changes."""
    from generator.site.build import BuildError, serve_site

    try:
        serve_site(config_file, dev_addr=dev_addr, project=project)
    except BuildError as error:
        click.echo(str(error), err=True)
        sys.exit(1)


@cli.command()
@CONTENT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--projects", "per_project", is_flag=True, help="Completeness per sales centre.")
def stats(content_dir: Path | None, as_json: bool, per_project: bool) -> None:
    """Counts that matter to an owner: items per post, scripts, supplement share."""
    from generator.stats import compute, format_table

    if per_project:
        from generator.project_reports import stats_projects

        sys.exit(stats_projects(content_dir or Path("content"), as_json=as_json))
    result = validate(content_dir or Path("content"))
    if not result.ok:
        click.echo(format_text(errors_of(result.problems)), err=True)
        sys.exit(1)
    from generator.content.checks import consistency
    from generator.content.checks import counts as warning_counts

    counts = compute(result.handbook, warning_counts(consistency(result)))
    if as_json:
        import json

        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(counts))


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
)
def schema(out: Path) -> None:
    """Write the JSON Schemas that editors use to autocomplete content files."""
    from generator.schema import write_schemas

    for path in write_schemas(out):
        click.echo(path)


def main(argv: list[str] | None = None) -> int:
    """Console entry point; returns the exit code instead of raising SystemExit."""
    try:
        cli.main(args=argv, prog_name="handbook", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return 2
    except click.exceptions.Abort:
        return 1
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("HANDBOOK_DEBUG"):
            raise
        click.echo(
            f"handbook: unexpected error ({type(error).__name__}: {error}); nothing was changed. "
            "Run again with HANDBOOK_DEBUG=1 for details and report it.",
            err=True,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
