"""From the content folder to a validated model: YAML reading with locations, references,
loading, the validator of check and build, consistency checks, sales centres' overlays
and the segmenter's words."""
