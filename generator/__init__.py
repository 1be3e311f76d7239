"""Generate a searchable, printable handbook site from structured YAML.

One direction of flow, one subpackage per stage: ``content`` (YAML → validated
model) → ``render`` (model → Markdown and data) → ``site`` (Markdown → site). What
every stage shares sits here: the typed model (``model``) and its JSON Schemas
(``schema``), the page plan (``pages``), problems and their formats (``errors``),
and the commands (``cli``, ``stats``, ``project_reports``).
"""

__version__ = "0.1.0"
