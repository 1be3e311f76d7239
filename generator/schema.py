"""JSON Schemas for the content files, exported from the models.

Each YAML file names its schema on its first line
(``# yaml-language-server: $schema=../schema/post.schema.json``), so editors
with the YAML language server autocomplete fields and flag mistakes.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from generator import model

SCHEMAS: dict[str, type[BaseModel]] = {
    "handbook": model.HandbookFile,
    "project": model.ProjectFile,
    "organisation": model.OrganisationFile,
    "post": model.PostFile,
    "norms": model.NormsFile,
    "complaints": model.ComplaintsFile,
    "language": model.LanguageFile,
    "categories": model.CategoriesFile,
    "scripts": model.ScriptsFile,
    "glossary": model.GlossaryFile,
    "path": model.PathFile,
    "revisions": model.RevisionsFile,
    "standards": model.StandardsFile,
    "tasks": model.TasksFile,
    "centre": model.CentreFile,
}


def schema_text(model_class: type[BaseModel]) -> str:
    schema = model_class.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model_class in SCHEMAS.items():
        path = folder / f"{name}.schema.json"
        path.write_text(schema_text(model_class), encoding="utf-8")
        written.append(path)
    return written
