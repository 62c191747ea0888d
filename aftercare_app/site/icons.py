"""The icon font cut to the icons the app draws: Flutter's own build does this (``--tree-shake-icons``); the
prebuilt client ships all 8,600 Material icons (1.3 MB, 0.4 MB with brotli) for the few dozen an app shows.

The glyphs of ``MaterialIcons-Regular.otf`` are named after Flutter's icons: ``today_baseline`` for
``Icons.today`` (Flet's ``ft.Icons.TODAY``), ``today_outlined`` for ``Icons.today_outlined``. The cut keeps every
icon the app's code names (``ft.Icons.NAME``) and those Flutter's Material widgets draw themselves (the pickers'
arrows and mode buttons, a dropdown's arrow, a back button, a text field's clear and error icons...).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

__all__ = ["WIDGET_ICONS", "icon_names", "material_icons_subset"]

# Icons Flutter's Material widgets use without the app naming them (date and time pickers, dropdowns, app bars,
# text fields, snack bars, expansion tiles, search), in their glyph names.
WIDGET_ICONS = (
    "arrow_back", "arrow_back_ios", "arrow_back_ios_new", "arrow_forward", "arrow_forward_ios", "arrow_drop_down",
    "arrow_drop_up", "chevron_left", "chevron_right", "keyboard_arrow_left", "keyboard_arrow_right",
    "keyboard_arrow_down", "keyboard_arrow_up", "expand_more", "expand_less", "calendar_today", "edit",
    "edit_outlined", "keyboard", "keyboard_outlined", "access_time", "schedule", "close", "cancel", "clear", "check",
    "error", "error_outline", "info_outline", "more_vert", "more_horiz", "menu", "search", "visibility",
    "visibility_off", "check_box", "check_box_outline_blank", "radio_button_checked", "radio_button_unchecked",
)
_VARIANTS = ("_outlined", "_rounded", "_sharp")
_NAMED = re.compile(r"\bIcons\.([A-Z][A-Z0-9_]*)\b")


def glyph_name(icon: str) -> str:
    """Flutter's icon name as the font's glyph: ``today`` -> ``today_baseline``; variants keep their suffix."""
    icon = icon.lower()
    return icon if icon.endswith(_VARIANTS) else f"{icon}_baseline"


def icon_names(sources: Iterable[bytes]) -> set[str]:
    """The glyphs of every ``Icons.NAME`` the given Python sources name, and the widgets' own."""
    named = {glyph_name(m) for text in sources for m in _NAMED.findall(text.decode("utf-8", "replace"))}
    return named | {glyph_name(i) for i in WIDGET_ICONS}


def material_icons_subset(font: bytes, glyphs: set[str]) -> bytes:
    """``font`` with only ``glyphs`` (names missing from the font are ignored), code points unchanged."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    original = TTFont(io.BytesIO(font))
    keep = sorted(glyphs & set(original.getGlyphOrder()))
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.layout_features = []
    options.glyph_names = True
    cutter = subset.Subsetter(options)
    cutter.populate(glyphs=keep)
    cutter.subset(original)
    original.recalcTimestamp = False  # the same inputs give the same bytes, so an unchanged app keeps its version
    out = io.BytesIO()
    original.save(out)
    return out.getvalue()
