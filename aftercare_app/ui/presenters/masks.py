"""The Masks screen: today's mask stage, each kind of mask, and a label checked ingredient by ingredient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aftercare_app.domain.masks import MAX_LABEL_CHARS, MAX_LABEL_INGREDIENTS, VERDICT_WORDS, advise, split_label
from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import TreatmentSession
from aftercare_app.domain.timeline import treatment_of
from aftercare_app.domain.vocabulary import SkinState

__all__ = ["VERDICT_TEXT", "MaskLine", "MasksVM", "label_refusal", "masks_view"]

VERDICT_TEXT = VERDICT_WORDS  # avoid, wait, check, ok: the domain's words for people


@dataclass(frozen=True)
class MaskLine:
    name: str
    verdict: str  # a key of VERDICT_TEXT
    verdict_text: str
    reason: str


@dataclass(frozen=True)
class MasksVM:
    stage: str
    advice: str
    recommended: tuple[str, ...]
    kinds: tuple[MaskLine, ...]
    verdict: str
    verdict_text: str
    reasons: tuple[str, ...]
    ingredients: tuple[MaskLine, ...]
    ask_clinic: str = ""  # "Ask your clinic about: …" when the label holds what the app cannot judge
    refused: str = ""  # why the text pasted was not checked (it cannot be one label's ingredient list)


def label_refusal(label: str, names: list[str]) -> str:
    """Why ``label`` is not checked, or "" when it reads as one product's ingredient list."""
    if len(label) > MAX_LABEL_CHARS or len(names) > MAX_LABEL_INGREDIENTS:
        return (
            f"Not checked: this text is longer than any product's ingredient list ({len(names):,} items, "
            f"{len(label):,} characters; a label lists at most about {MAX_LABEL_INGREDIENTS}). "
            "Paste only the ingredients of one product."
        )
    return ""


def masks_view(
    protocol: Protocol, session: TreatmentSession, now: datetime, skin: SkinState, label: str = ""
) -> MasksVM:
    names = split_label(label) if label.strip() else []
    refused = label_refusal(label, names)
    if refused:
        names = []
    advice = advise(protocol, treatment_of(session), now, skin, names)
    return MasksVM(
        stage=advice.stage.name,
        advice=advice.stage.advice,
        recommended=advice.recommended,
        kinds=tuple(MaskLine(k.kind.name, k.verdict, VERDICT_TEXT[k.verdict], k.reason) for k in advice.kinds),
        verdict=advice.verdict,
        verdict_text=VERDICT_TEXT[advice.verdict] if names else "",
        # Each ingredient's reason is shown on its own line below; the summary keeps the rest.
        reasons=tuple(r for r in advice.reasons if not any(r.startswith(f"{v.printed}:") for v in advice.ingredients))
        if names
        else (),
        ingredients=tuple(
            MaskLine(v.printed, v.verdict, VERDICT_TEXT[v.verdict], v.reason) for v in advice.ingredients
        ),
        ask_clinic=f"Ask your clinic about: {', '.join(advice.ask_clinic)}." if advice.ask_clinic else "",
        refused=refused,
    )
