"""From Markdown to the site: the MkDocs plugin, the safe build, every centre's build,
the export for other engines, the search index, checklists as PDF and pinned assets."""
