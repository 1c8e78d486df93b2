"""Filtering the link directory by city, topic and language (exact choices from the entries)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wohnfair.website.blocks import entry_dict


def filter_entries(values: Iterable[Any], params: Mapping[str, str]) -> dict[str, Any]:
    entries = [entry_dict(value) for value in values]
    cities = sorted({entry["city"] for entry in entries})
    topics = sorted({topic for entry in entries for topic in entry["topic_list"]})
    languages = sorted({lang for entry in entries for lang in entry["language_list"]})
    # Only values that exist count; anything else is ignored rather than an error.
    city = params.get("ort") if params.get("ort") in cities else ""
    topic = params.get("thema") if params.get("thema") in topics else ""
    language = params.get("sprache") if params.get("sprache") in languages else ""
    shown = [
        entry
        for entry in entries
        if (not city or entry["city"] == city)
        and (not topic or topic in entry["topic_list"])
        and (not language or language in entry["language_list"])
    ]
    return {
        "entries": sorted(shown, key=lambda entry: (entry["city"], entry["name"])),
        "cities": cities,
        "topics": topics,
        "languages": languages,
        "selected": {"ort": city, "thema": topic, "sprache": language},
        "total": len(entries),
    }
