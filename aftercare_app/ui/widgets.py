"""The app's small building blocks: headings, cards, 48 px touch targets, one-of-several buttons, switches with
wrapping labels, charts by day. Each takes data in and sends callbacks out; none knows a screen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import flet as ft

from aftercare_app.ui.presenters.charts import ChartBar, DayChart

__all__ = [
    "MIN_TARGET",
    "card",
    "choice_row",
    "day_chart",
    "heading",
    "icon_button",
    "labelled_switch",
    "muted",
    "one_at_a_time",
    "sem",
    "tall",
]

Layout = TypeVar("Layout", bound=ft.LayoutControl)  # a control with a height: buttons, containers

MIN_TARGET = 48  # the smallest touch target, in logical pixels (Material and WCAG 2.5.8 enhanced)


def sem(identifier: str, content: ft.Control, **kwargs: Any) -> ft.Semantics:
    """A stable selector for tests and a node for screen readers; Semantics takes no positional content."""
    return ft.Semantics(identifier=identifier, content=content, **kwargs)


def heading(text: str, size: int = 22, color: str | None = None) -> ft.Control:
    return ft.Semantics(header=True, content=ft.Text(text, size=size, weight=ft.FontWeight.W_600, color=color))


def muted(text: str, size: int = 14) -> ft.Text:
    return ft.Text(text, size=size, color=ft.Colors.ON_SURFACE_VARIANT)


def card(*controls: ft.Control, bgcolor: str | None = None, padding: int = 16) -> ft.Card:
    return ft.Card(
        content=ft.Container(
            content=ft.Column(list(controls), spacing=6, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            padding=padding,
            bgcolor=bgcolor,
            border_radius=12,
        ),
        margin=ft.Margin.symmetric(vertical=4),
    )


def icon_button(icon: ft.IconData, label: str, on_click: Callable[[Any], None], *, disabled: bool = False) -> ft.Control:
    """An icon button a screen reader can name (a tooltip alone is not announced) and a finger can hit."""
    # The Semantics node is the one announced and tapped by assistive tech; the inner button stays silent.
    return ft.Semantics(
        label=label,
        button=True,
        exclude_semantics=True,
        on_tap=None if disabled else on_click,
        content=ft.IconButton(
            icon,
            on_click=on_click,
            disabled=disabled,
            size_constraints=ft.BoxConstraints(min_width=MIN_TARGET, min_height=MIN_TARGET),
        ),
    )


def choice_row(
    options: list[tuple[str, str]], selected: str, on_select: Callable[[str], None], *, text_size: int = 14
) -> ft.Row:
    """One-of-several buttons, 48 px tall (Material's segmented button is 40): the chosen one filled, and
    announced as selected, so its state is said in words and not shown by colour alone. Each is as wide as its
    word and the row wraps, so no word is cut when the patient enlarges the text."""
    row = ft.Row(spacing=6, run_spacing=6, wrap=True)
    cells: list[tuple[str, ft.Semantics, ft.Container, ft.Text]] = []

    def paint() -> None:
        for value, cell, box, text in cells:
            chosen = value == row.data
            cell.selected = chosen
            box.bgcolor = ft.Colors.SECONDARY_CONTAINER if chosen else None
            text.weight = ft.FontWeight.W_600 if chosen else ft.FontWeight.NORMAL

    def pick(value: str) -> Callable[[Any], None]:
        def handler(e: Any) -> None:
            row.data = value
            paint()
            row.update()
            on_select(value)

        return handler

    for value, label in options:
        text = ft.Text(label, size=text_size, no_wrap=True)
        box = ft.Container(
            # A tight row, not an alignment: an aligned box would stretch to the whole width.
            content=ft.Row([text], tight=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            height=MIN_TARGET,
            padding=ft.Padding.symmetric(horizontal=16),
            border=ft.Border.all(1, ft.Colors.OUTLINE),
            border_radius=MIN_TARGET / 2,
            on_click=pick(value),
        )
        cell = ft.Semantics(label=label, button=True, exclude_semantics=True, on_tap=pick(value), content=box)
        cells.append((value, cell, box, text))
        row.controls.append(cell)
    row.data = selected
    paint()
    return row


CHART_HEIGHT = 48
BAR_WIDTH = 22  # fourteen days fit beside each other on a 360 px phone


def day_chart(chart: DayChart, identifier: str) -> ft.Control:
    """Bars by day drawn with plain containers over a light track: a line at the most expected that day,
    a '!' above a day beyond it, the number above and the day below, and the whole chart said in words
    for screen readers (colour is never the only signal)."""

    def column(bar: ChartBar) -> ft.Control:
        layers: list[ft.Control] = [
            ft.Container(left=0, right=0, bottom=0, top=0, bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST, border_radius=3)
        ]
        if bar.level:
            layers.append(
                ft.Container(
                    left=2, right=2, bottom=0, height=max(3.0, bar.level * CHART_HEIGHT),
                    bgcolor=ft.Colors.ERROR if bar.flagged else ft.Colors.PRIMARY,
                    border_radius=ft.BorderRadius.only(top_left=3, top_right=3),
                )
            )
        if bar.expected is not None:
            layers.append(ft.Container(left=0, right=0, bottom=bar.expected * CHART_HEIGHT - 1, height=2, bgcolor=ft.Colors.ON_SURFACE))
        return ft.Column(
            [
                ft.Text("!" if bar.flagged else " ", size=11, weight=ft.FontWeight.W_700, color=ft.Colors.ERROR, text_align=ft.TextAlign.CENTER),
                ft.Text(bar.value_text, size=10, text_align=ft.TextAlign.CENTER, no_wrap=True),
                ft.Stack(layers, height=CHART_HEIGHT, width=BAR_WIDTH),
                ft.Text(bar.day_label, size=9, color=ft.Colors.ON_SURFACE_VARIANT, text_align=ft.TextAlign.CENTER, no_wrap=True),
            ],
            spacing=1,
            width=BAR_WIDTH,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        )

    bars = ft.Row([column(b) for b in chart.bars], spacing=1, vertical_alignment=ft.CrossAxisAlignment.END)
    return sem(
        identifier,
        ft.Column([bars, muted(chart.summary, 12)], spacing=4, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        label=chart.summary,
        exclude_semantics=True,
    )


def one_at_a_time(handler: Callable[[Any], Awaitable[None]]) -> Callable[[Any], Awaitable[None]]:
    """A save button's handler that ignores taps while its save is still running, so a double tap saves once."""
    busy = False

    async def guarded(e: Any) -> None:
        nonlocal busy
        if busy:
            return
        busy = True
        try:
            await handler(e)
        finally:
            busy = False

    return guarded


def labelled_switch(switch: ft.Switch, label: str) -> ft.Control:
    """A switch whose label wraps when the text is enlarged (Flet's own switch label sits on one line), announced
    as one switch named by the label; tapping the label toggles it."""
    return ft.MergeSemantics(
        content=ft.ListTile(
            leading=switch, title=ft.Text(label, size=14), toggle_inputs=True, content_padding=ft.Padding.only(left=0, right=0)
        )
    )


def tall(button: Layout) -> Layout:
    button.height = max(MIN_TARGET, button.height or 0)
    return button
