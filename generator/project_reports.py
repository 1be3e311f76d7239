"""The sales-centre side of the ``handbook`` command: ``check --all-projects``,
``stats --projects`` and ``build --all-projects``; each returns the exit code."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from generator.content import projects
from generator.errors import errors_of, format_json, format_text


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), *(line(row) for row in rows)])


def _centres(content_dir: Path, as_json: bool):
    """The validated base and each centre's completeness and problems, or ``None``."""
    base = projects.preload(content_dir)
    if not base.ok:
        problems = errors_of(base.problems)
        click.echo(format_json(problems) if as_json else format_text(problems), err=not as_json)
        return None
    projects_dir = content_dir.parent / projects.PROJECTS_DIR
    return [
        projects.completeness(base, projects_dir, centre_id)
        for centre_id in projects.centre_ids(projects_dir)
    ]


def check_all(content_dir: Path, *, as_json: bool) -> int:
    """Every centre's overlay validated; missing facts are errors. Exit 1 unless all complete."""
    centres = _centres(content_dir, as_json)
    if centres is None:
        return 1
    problems = [problem for _completeness, found in centres for problem in found]
    if as_json:
        click.echo(format_json(problems))
    else:
        if problems:
            click.echo(format_text(problems), err=True)
        rows = [
            (c.centre_id, c.name, f"{c.filled}/{c.total}", str(len(c.unsayable)), str(c.errors))
            for c, _found in centres
        ]
        header = ("centre", "name", "facts filled", "unsayable scripts", "errors")
        click.echo(_table(header, rows))
    incomplete = [c.centre_id for c, found in centres if errors_of(found)]
    if incomplete and not as_json:
        click.echo(
            f"{len(incomplete)} centre(s) not ready to publish: {', '.join(incomplete)}", err=True
        )
    return 1 if incomplete else 0


def stats_projects(content_dir: Path, *, as_json: bool) -> int:
    """Completeness per centre, and what each adds, replaces and hides."""
    centres = _centres(content_dir, as_json)
    if centres is None:
        return 1
    if as_json:
        click.echo(json.dumps([asdict(c) for c, _found in centres], ensure_ascii=False, indent=2))
        return 0
    rows = [
        (
            c.centre_id,
            c.name,
            f"{c.filled}/{c.total}",
            f"{c.added}/{c.replaced}/{c.hidden}",
            ", ".join(c.unsayable) or "–",
        )
        for c, _found in centres
    ]
    header = ("centre", "name", "facts filled", "added/replaced/hidden", "unsayable scripts")
    click.echo(_table(header, rows))
    return 0


def build_all_command(
    config_file: Path,
    out_dir: Path,
    content_dir: Path | None,
    pdf: bool,
    offline: bool,
    draft: bool,
    jobs: int,
) -> None:
    """Build every centre, showing progress, then the table; raises ``BuildError``."""
    from generator.site.build_all import build_all

    def progress(done: int, total: int, row) -> None:
        line = f"[{done}/{total}] {row.centre_id}: {row.pages} pages, {row.seconds:.1f} s"
        click.echo(line, err=True)

    rows = build_all(
        config_file,
        out_dir,
        content_dir=content_dir,
        pdf=pdf,
        offline=offline,
        draft=draft,
        jobs=jobs,
        progress=progress,
    )
    header = ("centre", "pages", "facts filled", "warnings", "time")
    table = [
        (r.centre_id, str(r.pages), r.filled, str(r.warnings), f"{r.seconds:.1f} s") for r in rows
    ]
    click.echo(_table(header, table))
    click.echo(f"{len(rows)} site(s) built in {out_dir}/<centre>/")
