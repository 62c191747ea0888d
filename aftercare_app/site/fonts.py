"""Fallback fonts: Flutter asks ``fontFallbackBaseUrl`` + a Google Fonts path for glyphs its fonts lack (emoji, many
scripts); the site answers each family it can with a local Noto font under the path the engine requests.

The fonts come from Debian's Noto packages where the build machine has them (``fonts-noto-core``,
``fonts-noto-color-emoji``: colour emoji), else from the ``manimgx-fonts`` Python package, a dependency of the project
(Noto, unmodified, SIL Open Font License; its emoji are black and white). A family found in neither is left out and
named in the build's notes: its text shows as boxes.
"""

from __future__ import annotations

import importlib.util
import io
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["FALLBACK_FAMILIES", "NOTO_DIRS", "fallback_fonts", "font_folders"]

NOTO_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
FONT_PACKAGE = "manimgx_fonts"

# For these families the build ships a Noto font under the path the engine requests (families split into per-range
# subsets get the whole font once, and the service worker and the server map each subset's path to it). Each family
# is one or more fonts merged; each font is its file name in Debian's packages, then in the Python package.
FALLBACK_FAMILIES: dict[str, tuple[tuple[str, ...], ...]] = {
    # The engine's "Noto Sans" (Google Fonts) also covers Devanagari, so it never asks for Noto Sans Devanagari
    # for Hindi: the shipped font is Noto Sans merged with Noto Sans Devanagari (needs fontTools).
    "Noto Sans": (("NotoSans-Regular.ttf", "NotoSans[wght].ttf"),
                  ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari[wght].ttf")),
    "Noto Color Emoji": (("NotoColorEmoji.ttf", "NotoEmoji[wght].ttf"),),
    "Noto Sans Symbols": (("NotoSansSymbols-Regular.ttf", "NotoSansSymbols[wght].ttf"),),
    "Noto Sans Symbols 2": (("NotoSansSymbols2-Regular.ttf",),),
    "Noto Sans Math": (("NotoSansMath-Regular.ttf",),),
    **{
        f"Noto Sans {script}": ((f"NotoSans{script}-Regular.ttf", f"NotoSans{script}[wght].ttf"),)
        for script in ("Arabic", "Hebrew", "Armenian", "Georgian", "Devanagari", "Bengali", "Thai")
    },
}


def font_folders() -> tuple[Path, ...]:
    """Where the build looks for fallback fonts, in order: Debian's Noto folders, then the Python package's."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    package = [Path(p) for p in spec.submodule_search_locations] if spec and spec.submodule_search_locations else []
    return (*NOTO_DIRS, *package)


def _fallback_font_urls(main_js: str) -> dict[str, list[str]]:
    """Family -> the fallback-font paths the client may request, read from the compiled client."""
    families: dict[str, list[str]] = {}
    for name, path in re.findall(r'A\.z\("([^"]+)","([a-z0-9]+/v\d+/[^"]+\.(?:woff2|ttf|otf))"\)', main_js):
        family = re.sub(r" \d+$", "", name) if name not in FALLBACK_FAMILIES else name
        families.setdefault(family, []).append(path)
    return families

def _static(path: Path, folder: Path) -> Path:
    """``path`` as a static font (a variable font at its default instance, which is what fontTools can merge)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    if "fvar" not in font:
        return path
    from fontTools.varLib import instancer

    static = instancer.instantiateVariableFont(font, {axis.axisTag: None for axis in font["fvar"].axes})
    static.recalcTimestamp = False  # the same inputs give the same bytes
    target = folder / path.name
    static.save(str(target))
    return target


def _merged_font(sources: Sequence[Path]) -> bytes:
    if len(sources) == 1:
        return sources[0].read_bytes()
    try:
        from fontTools.merge import Merger
    except ImportError:  # without fontTools the first font alone ships: the others' scripts show as boxes
        return sources[0].read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        merged = Merger().merge([str(_static(s, Path(folder))) for s in sources])
    merged.recalcTimestamp = False  # the same inputs give the same bytes, so an unchanged app keeps its version
    buffer = io.BytesIO()
    merged.save(buffer)
    return buffer.getvalue()


def _find(names: Sequence[str], font_dirs: Sequence[Path]) -> Path | None:
    return next((d / n for n in names for d in font_dirs if (d / n).is_file()), None)


def fallback_fonts(main_js: str, font_dirs: Sequence[Path]) -> tuple[dict[str, bytes], dict[str, str], list[str]]:
    """Files to write under fonts/fallback/, the alias table (requested path -> shipped path) and the families
    the client may ask for that no folder holds."""
    urls = _fallback_font_urls(main_js)
    files: dict[str, bytes] = {}
    aliases: dict[str, str] = {}
    missing: list[str] = []
    for family, fonts in FALLBACK_FAMILIES.items():
        paths = urls.get(family, [])
        if not paths:
            continue
        found = [_find(names, font_dirs) for names in fonts]
        if found[0] is None:
            missing.append(family)
            continue
        data = _merged_font([f for f in found if f is not None])
        if len(paths) == 1:
            files[paths[0]] = data  # the exact path: works on any static host even before the worker runs
        else:
            shipped = f"{paths[0].split('/', 1)[0]}/{re.sub(r'[^A-Za-z0-9._-]', '', found[0].name)}"
            files[shipped] = data
            aliases.update(dict.fromkeys(paths, shipped))
    return files, aliases, missing
