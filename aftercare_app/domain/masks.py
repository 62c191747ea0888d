"""The mask-stage recommender: which masks and ingredients are safe today.

Verdicts, most to least cautious: ``avoid`` (an ingredient or mask kind is
unsuitable after mesotherapy at this point), ``wait`` (nothing of that kind is
advisable yet), ``ok``. Ingredients are matched as printed on labels: INCI
names and common synonyms, regardless of case, accents and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from aftercare_app.domain.protocol import Ingredient, MaskKind, MaskStage, Protocol
from aftercare_app.domain.restrictions import lifts_at
from aftercare_app.domain.timeline import Treatment, format_duration, hours_since
from aftercare_app.domain.vocabulary import SkinState

AVOID, WAIT, OK, UNKNOWN = "avoid", "wait", "ok", "unknown"
_RANK = {OK: 0, UNKNOWN: 0, WAIT: 1, AVOID: 2}
_GENTLE_KINDS = ("soothing_sheet", "hydrating")
_LABEL_PREFIX = re.compile(r"^\s*(ingredients|ingr[eé]dients|inci|composition)\s*[:\-]\s*", re.IGNORECASE)
_SPLIT = re.compile(r"[,;\n\r•·|]+")
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%")


def normalise(name: str) -> str:
    """Lower-case ASCII words: 'Alcohol Denat.' -> 'alcohol denat', 'L-Ascorbic Acid' -> 'l ascorbic acid'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _PERCENT.sub(" ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def split_label(label: str) -> list[str]:
    """The ingredients of a pasted label, in order, as printed."""
    label = _LABEL_PREFIX.sub("", label.strip())
    items = []
    for part in _SPLIT.split(label):
        part = part.strip(" .*\t")
        if part and normalise(part):
            items.append(part)
    return items


def _variants(printed: str) -> list[str]:
    """Ways to read one printed ingredient: whole, 'Aqua (Water)' parts, 'Parfum/Fragrance' parts."""
    inner = re.findall(r"\(([^)]*)\)", printed)
    outer = re.sub(r"\([^)]*\)", " ", printed)
    candidates = [printed, outer, *inner]
    for text in list(candidates):
        candidates += text.split("/")
    seen: list[str] = []
    for text in candidates:
        key = normalise(text)
        if key and key not in seen:
            seen.append(key)
    return seen


def identify(protocol: Protocol, printed: str) -> Ingredient | None:
    """The protocol ingredient a printed name stands for, if the app knows it."""
    variants = _variants(printed)
    for key in variants:  # exact names first: 'hyaluronic acid' is not an exfoliating acid
        for ingredient in protocol.ingredients:
            if key in ingredient.names:
                return ingredient
    for key in variants:
        for ingredient in protocol.ingredients:
            if any(pattern in key for pattern in ingredient.patterns):
                return ingredient
    return None


@dataclass(frozen=True)
class IngredientVerdict:
    printed: str
    ingredient: Ingredient | None
    verdict: str  # avoid | wait | ok | unknown
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class KindVerdict:
    kind: MaskKind
    verdict: str  # avoid | wait | ok
    allowed_from: datetime | None  # UTC; None when allowed now
    reason: str


@dataclass(frozen=True)
class MaskAdvice:
    verdict: str
    reasons: tuple[str, ...]
    recommended: tuple[str, ...]  # ingredient names that suit this stage and skin state
    stage: MaskStage
    kinds: tuple[KindVerdict, ...]  # every mask kind, judged now
    ingredients: tuple[IngredientVerdict, ...]  # each ingredient asked about, in label order
    asked_kind: KindVerdict | None  # the kind the question was about


def _waiting(until: datetime, now: datetime) -> str:
    return f"in {format_duration(until - now)}"


def judge_ingredient(protocol: Protocol, printed: str, treatment: Treatment, now: datetime) -> IngredientVerdict:
    ingredient = identify(protocol, printed)
    if ingredient is None:
        return IngredientVerdict(printed, None, UNKNOWN, f"{printed}: not in the app's list; ask your clinic if unsure.", ())
    label = f"{printed}: {ingredient.reason}"
    if ingredient.role == "avoid" and ingredient.lifted_by is not None:
        lifts = lifts_at(protocol.restriction(ingredient.lifted_by), treatment)
        if now < lifts:
            return IngredientVerdict(printed, ingredient, AVOID, f"{label} Avoid until recovery allows it ({_waiting(lifts, now)}).", ingredient.sources)
        return IngredientVerdict(printed, ingredient, OK, f"{printed}: fine again now that recovery is complete.", ingredient.sources)
    if ingredient.role == "recommended" and hours_since(treatment, now) < ingredient.from_hour:
        starts = treatment.instant_after(ingredient.from_hour)
        return IngredientVerdict(printed, ingredient, WAIT, f"{label} Not yet: advisable {_waiting(starts, now)}.", ingredient.sources)
    return IngredientVerdict(printed, ingredient, OK, label, ingredient.sources)


def judge_kind(kind: MaskKind, treatment: Treatment, now: datetime) -> KindVerdict:
    start_hour = kind.sensitive_from_hour if treatment.sensitive else kind.from_hour
    starts = treatment.instant_after(start_hour)
    if now < starts:
        when = _waiting(starts, now)
        return KindVerdict(kind, kind.verdict_before, starts, f"{kind.name}: {kind.verdict_before} ({when}). {kind.reason}")
    return KindVerdict(kind, OK, None, f"{kind.name}: fine now. {kind.reason}")


def _infer_kind(verdicts: Sequence[IngredientVerdict]) -> str:
    """A mask made only of gentle soothing/hydrating ingredients counts as a gentle mask."""
    known = [v.ingredient for v in verdicts if v.ingredient is not None and v.ingredient.role != "neutral"]
    gentle = bool(known) and all(i.role == "recommended" and i.from_hour <= 24 for i in known)
    return "hydrating" if gentle else "regular"


def advise(
    protocol: Protocol,
    treatment: Treatment,
    now: datetime,
    skin: SkinState = SkinState.NORMAL,
    ingredients: Iterable[str] = (),
    kind: str | None = None,
) -> MaskAdvice:
    """Can this mask (kind and/or ingredients) be used at ``now``, and what suits today?"""
    hours = hours_since(treatment, now)
    stage = protocol.mask_stage_at(hours)
    verdicts = tuple(judge_ingredient(protocol, name, treatment, now) for name in ingredients)
    kinds = tuple(judge_kind(k, treatment, now) for k in protocol.mask_kinds)
    asked_id = kind or _infer_kind(verdicts)
    asked = next((k for k in kinds if k.kind.id == asked_id), None)
    if asked is None:
        raise ValueError(f"unknown mask kind {kind!r}; expected one of: {', '.join(k.id for k in protocol.mask_kinds)}")

    verdict = max([asked.verdict, *(v.verdict for v in verdicts)], key=_RANK.__getitem__)
    if verdict == UNKNOWN:
        verdict = OK
    reasons = [stage.advice]
    reasons += [v.reason for v in verdicts if v.verdict in (AVOID, WAIT)]
    reasons.append(asked.reason)
    if asked.verdict != OK and asked.kind.id not in _GENTLE_KINDS:
        gentle_now = [k for k in kinds if k.kind.id in _GENTLE_KINDS and k.verdict == OK]
        if gentle_now:
            reasons.append("Gentle soothing sheet masks and hydrating masks are fine now.")
    if treatment.sensitive and hours < protocol.mask_kind("regular").sensitive_from_hour:
        reasons.append("Sensitive skin: avoid regular masks for now; keep to gentle ones.")
    unknown = [v.printed for v in verdicts if v.verdict == UNKNOWN]
    if unknown:
        reasons.append(f"Not in the app's list (ask your clinic if unsure): {', '.join(unknown)}.")
    recommended = tuple(protocol.ingredient(i).name for i in stage.recommended_for(skin))
    return MaskAdvice(verdict, tuple(reasons), recommended, stage, kinds, verdicts, asked)


def remaining(until: datetime | None, now: datetime) -> timedelta:
    return max(timedelta(0), until - now) if until is not None else timedelta(0)
