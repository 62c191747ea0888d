"""Fallback fonts: Flutter asks ``fontFallbackBaseUrl`` + a Google Fonts path for glyphs its fonts lack (emoji, many
scripts); the site answers each family it can with a local Noto font under the path the engine requests."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

__all__ = ["FALLBACK_FAMILIES", "NOTO_DIRS", "fallback_fonts"]

# Fallback fonts: Flutter asks ``fontFallbackBaseUrl`` + a Google Fonts path for glyphs its fonts lack. For these
# families the build ships a Debian Noto font under that path (families split into per-range subsets get the whole
# font once, and the service worker and the server map each subset's path to it).
NOTO_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))

FALLBACK_FAMILIES: dict[str, str | tuple[str, ...]] = {
    # The engine's "Noto Sans" (Google Fonts) also covers Devanagari, so it never asks for Noto Sans Devanagari
    # for Hindi: the shipped font is Debian's Noto Sans merged with Noto Sans Devanagari (needs fontTools).
    "Noto Sans": ("NotoSans-Regular.ttf", "NotoSansDevanagari-Regular.ttf"),
    "Noto Color Emoji": "NotoColorEmoji.ttf",
    "Noto Sans Symbols": "NotoSansSymbols-Regular.ttf",
    "Noto Sans Symbols 2": "NotoSansSymbols2-Regular.ttf",
    "Noto Sans Math": "NotoSansMath-Regular.ttf",
    "Noto Sans Arabic": "NotoSansArabic-Regular.ttf",
    "Noto Sans Hebrew": "NotoSansHebrew-Regular.ttf",
    "Noto Sans Armenian": "NotoSansArmenian-Regular.ttf",
    "Noto Sans Georgian": "NotoSansGeorgian-Regular.ttf",
    "Noto Sans Devanagari": "NotoSansDevanagari-Regular.ttf",
    "Noto Sans Bengali": "NotoSansBengali-Regular.ttf",
    "Noto Sans Thai": "NotoSansThai-Regular.ttf",
}

def _fallback_font_urls(main_js: str) -> dict[str, list[str]]:
    """Family -> the fallback-font paths the client may request, read from the compiled client."""
    families: dict[str, list[str]] = {}
    for name, path in re.findall(r'A\.z\("([^"]+)","([a-z0-9]+/v\d+/[^"]+\.(?:woff2|ttf|otf))"\)', main_js):
        family = re.sub(r" \d+$", "", name) if name not in FALLBACK_FAMILIES else name
        families.setdefault(family, []).append(path)
    return families

def _merged_font(sources: Sequence[Path]) -> bytes:
    if len(sources) == 1:
        return sources[0].read_bytes()
    try:
        from fontTools.merge import Merger
    except ImportError:  # without fontTools the first font alone ships: the others' scripts show as boxes
        return sources[0].read_bytes()
    buffer = io.BytesIO()
    merged = Merger().merge([str(s) for s in sources])
    merged.recalcTimestamp = False  # the same inputs give the same bytes, so an unchanged app keeps its version
    merged.save(buffer)
    return buffer.getvalue()

def fallback_fonts(main_js: str, font_dirs: Sequence[Path]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Files to write under fonts/fallback/ and the alias table (requested path -> shipped path)."""
    urls = _fallback_font_urls(main_js)
    files: dict[str, bytes] = {}
    aliases: dict[str, str] = {}
    for family, names in FALLBACK_FAMILIES.items():
        names = (names,) if isinstance(names, str) else names
        found = [next((d / n for d in font_dirs if (d / n).is_file()), None) for n in names]
        paths = urls.get(family, [])
        if found[0] is None or not paths:
            continue
        file_name = names[0]
        data = _merged_font([f for f in found if f is not None])
        if len(paths) == 1:
            files[paths[0]] = data  # the exact path: works on any static host even before the worker runs
        else:
            shipped = f"{paths[0].split('/', 1)[0]}/{file_name}"
            files[shipped] = data
            aliases.update(dict.fromkeys(paths, shipped))
    return files, aliases
