"""Reply-script data for the finder and the practice cards, which run in the browser.

Front-line staff type what the customer said ("车子停哪里"), which often shares
no whole word with the script. The finder (``docs/assets/script-finder.js``)
ranks scripts by overlapping characters and character pairs, weighted by how
rare they are, over each script's question, other phrasings, tags and reply.
This module produces its data as a small JavaScript file, loaded on first use,
so it also works from ``file://`` in the offline copy.
"""

from __future__ import annotations

from generator import pages
from generator.model import Handbook
from generator.render.text import TextFormatter, javascript_data

SUMMARY_LENGTH = 60
ASSET_URI = "assets/generated/script-finder-data.js"


def finder_entries(handbook: Handbook, *, directory_urls: bool = True) -> list[dict]:
    formatter = TextFormatter.for_handbook(handbook, glossary=False)
    names = {category.id: category.name for category in handbook.categories.categories}
    entries = []
    for script in handbook.scripts:
        page = pages.built_path(pages.script_page(script.category), directory_urls)
        url = page.removesuffix("index.html") + "#" + script.id
        reply = formatter.plain_value(script.reply)
        entries.append(
            {
                "id": script.id,
                "categoryId": script.category,
                "url": url,
                "question": formatter.plain_value(script.question),
                "phrasings": [formatter.plain_value(p) for p in script.phrasings],
                "tags": [formatter.plain_value(tag) for tag in script.tags],
                "category": formatter.plain_value(names[script.category]),
                "reply": reply,
                "summary": reply if len(reply) <= SUMMARY_LENGTH else reply[:SUMMARY_LENGTH] + "…",
                "notes": [formatter.plain_value(note) for note in script.notes],
            }
        )
    return entries


def finder_script(handbook: Handbook, *, directory_urls: bool = True) -> str:
    return javascript_data(
        "hbScriptFinderData", finder_entries(handbook, directory_urls=directory_urls)
    )
