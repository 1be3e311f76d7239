"""From the model to Markdown and data files: text formatting, page templates, diagrams,
self-check questions and the answer index."""
