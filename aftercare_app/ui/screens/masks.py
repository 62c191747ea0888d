"""The mask-stage recommender: what suits today's stage and skin, each kind of mask, and a label checked."""

from __future__ import annotations

from typing import Any

import flet as ft

from aftercare_app.domain.vocabulary import SkinState
from aftercare_app.ui.host import Host, Screen
from aftercare_app.ui.presenters.masks import MaskLine, MasksVM, masks_view
from aftercare_app.ui.widgets import card, choice_row, heading, sem, tall

__all__ = ["MasksScreen"]

_LINE_LOOK = {
    "ok": (ft.Icons.CHECK_CIRCLE_OUTLINE, ft.Colors.PRIMARY),
    "wait": (ft.Icons.SCHEDULE, ft.Colors.TERTIARY),
    "check": (ft.Icons.HELP_OUTLINE, ft.Colors.TERTIARY),
    "avoid": (ft.Icons.BLOCK, ft.Colors.ERROR),
}


class MasksScreen(Screen):
    route = "/masks"
    title = "Masks"
    shows_data = True

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.label = ""
        self.skin = SkinState.NORMAL

    def view(self) -> MasksVM:
        return masks_view(self.records.protocol, self.records.current_session(), self.host.now(), self.skin, self.label)

    def build(self) -> list[ft.Control]:
        vm = self.view()
        label = ft.TextField(
            label="Ingredients from the label",
            hint_text="Paste or type, separated by commas",
            value=self.label,
            multiline=True,
            min_lines=2,
            max_lines=6,
        )

        def check(e: Any) -> None:
            self.label = label.value or ""
            self.host.redraw()

        def set_skin(value: str) -> None:
            self.skin = SkinState(value)
            self.host.redraw()

        out: list[ft.Control] = [
            heading(vm.stage, 20),
            ft.Text(vm.advice),
            ft.Text("How does your skin feel today?", weight=ft.FontWeight.W_500),
            sem(
                "skin-state",
                choice_row([("normal", "Comfortable"), ("dry", "Dry or flaky")], self.skin.value, set_skin),
                label="Skin today",
            ),
        ]
        if vm.recommended:
            out.append(card(ft.Text("Ingredients that suit today", weight=ft.FontWeight.W_600), ft.Text(", ".join(vm.recommended))))
        out.append(heading("Mask types today", 18))
        out.append(card(*[mask_line(line) for line in vm.kinds], padding=12))
        out.append(heading("Can I use this mask?", 18))
        out += [label, sem("check-ingredients", tall(ft.FilledButton("Check ingredients", icon=ft.Icons.SEARCH, on_click=check)))]
        if vm.refused:
            out.append(sem("mask-verdict", card(ft.Text(vm.refused, weight=ft.FontWeight.W_500))))
        if vm.ingredients:
            verdict = ft.Text(f"Overall: {vm.verdict_text}", size=18, weight=ft.FontWeight.W_600)
            ask = [ft.Text(vm.ask_clinic, weight=ft.FontWeight.W_500)] if vm.ask_clinic else []
            out.append(sem("mask-verdict", card(verdict, *ask, *[ft.Text(r, size=13) for r in vm.reasons])))
            out.append(sem("ingredient-verdicts", card(*[mask_line(line) for line in vm.ingredients], padding=12)))
        return out


def mask_line(line: MaskLine) -> ft.Control:
    icon, color = _LINE_LOOK[line.verdict]
    return ft.Row(
        [
            ft.Icon(icon, color=color, size=20),
            ft.Column(
                [ft.Text(f"{line.verdict_text}: {line.name}", weight=ft.FontWeight.W_500), ft.Text(line.reason, size=12)],
                spacing=0,
                expand=True,
            ),
        ],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )
