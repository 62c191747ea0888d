"""Colours and type: calm, clinical, legible; the same meaning never carried by colour alone."""

from __future__ import annotations

import flet as ft

from aftercare_app.domain.vocabulary import TriageLevel

__all__ = ["SEED", "THEME_MODES", "level_style", "make_theme", "theme_mode"]

SEED = "#2F6F6A"  # muted teal: medical without the hospital glare
THEME_MODES = {"system": ft.ThemeMode.SYSTEM, "light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}


def make_theme(dark: bool = False) -> ft.Theme:
    return ft.Theme(
        color_scheme_seed=SEED,
        use_material3=True,
        visual_density=ft.VisualDensity.STANDARD,
    )


def theme_mode(name: str | None) -> ft.ThemeMode:
    return THEME_MODES.get(name or "system", ft.ThemeMode.SYSTEM)


def level_style(level: TriageLevel) -> tuple[ft.ColorValue, ft.ColorValue, ft.IconData]:
    """(background, foreground, icon) for a triage level; the card's title always says it in words."""
    if level == TriageLevel.EMERGENCY:
        return ft.Colors.ERROR, ft.Colors.ON_ERROR, ft.Icons.LOCAL_HOSPITAL
    if level == TriageLevel.CALL_CLINIC:
        return ft.Colors.ERROR_CONTAINER, ft.Colors.ON_ERROR_CONTAINER, ft.Icons.PHONE_IN_TALK
    return ft.Colors.SECONDARY_CONTAINER, ft.Colors.ON_SECONDARY_CONTAINER, ft.Icons.CHECK_CIRCLE
