"""Generate a searchable, printable handbook site from structured YAML."""

__version__ = "0.1.0"
