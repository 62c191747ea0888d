"""The mask-stage recommender: which masks and ingredients are safe today.

Verdicts, most to least cautious: ``avoid`` (an ingredient or mask kind is
unsuitable after mesotherapy at this point), ``wait`` (nothing of that kind is
advisable yet), ``check`` (the app cannot vouch for an ingredient: ask the clinic
first), ``ok``. A label's verdict is the most cautious of its parts.

The checker fails closed: before recovery is complete an ingredient it does not
recognise is ``check``, never ``ok``, and makes the product a regular mask, not a
gentle one. Ingredients are matched as printed on labels: INCI names and common
synonyms regardless of case, accents and punctuation, and whole families by their
words (any "... clay", "retin...", "...ascorb...", "citrus ... oil").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.restrictions import lifts_at
from aftercare_app.domain.rules import Ingredient, MaskKind, MaskStage
from aftercare_app.domain.timeline import Treatment, format_duration, hours_since
from aftercare_app.domain.vocabulary import SkinState

AVOID, WAIT, CHECK, OK = "avoid", "wait", "check", "ok"
VERDICTS = (AVOID, WAIT, CHECK, OK)  # most cautious first
VERDICT_WORDS = {AVOID: "Avoid", WAIT: "Not yet", CHECK: "Ask your clinic first", OK: "Fine"}  # for people
#: A label longer than this is not one product's ingredient list (the longest printed lists hold about a hundred
#: items): it is refused with a message rather than judged, and never cut short, since a cut list could read "Fine".
MAX_LABEL_CHARS = 8000
MAX_LABEL_INGREDIENTS = 150
_RANK = {OK: 0, CHECK: 1, WAIT: 2, AVOID: 3}
_ROLE_RANK = {"neutral": 0, "recommended": 1, "check": 2, "avoid": 3}  # which reading of a printed name wins
_GENTLE_KINDS = ("soothing_sheet", "hydrating")

_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%")
# Headings printed on labels. Ingredient lists are read; "free from" lists and directions are not.
_HEADING = re.compile(
    r"\b(active ingredients?|inactive ingredients?|other ingredients|key ingredients|full ingredients?(?: list)?|"
    r"ingredients? list|ingredients?|ingr[eé]dients|inci|composition|contains|may contain|"
    r"free from|free of|does not contain|without|directions|how to use|usage|warnings?|cautions?|storage)"
    r"\s*(?:\(\s*\+\s*/\s*-\s*\)\s*)?[:：]",
    re.IGNORECASE,
)
_SKIPPED_HEADINGS = ("free", "does not", "without", "direction", "how to", "usage", "warning", "caution", "storage")
_LEADING_WORD = re.compile(r"^\s*(ingredients|ingr[eé]dients|inci|composition)\s*[-–—]\s*", re.IGNORECASE)
_AND = re.compile(r"\(\s*and\s*\)", re.IGNORECASE)
_FOOTNOTE_WORDS = ("organic", "certified", "natural origin", "naturally derived", "fair trade", "ecocert", "cosmos")


def normalise(name: str) -> str:
    """Lower-case ASCII words: 'Alcohol Denat.' -> 'alcohol denat', 'L-Ascorbic Acid' -> 'l ascorbic acid'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _PERCENT.sub(" ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _sections(label: str) -> list[str]:
    """The parts of a label that list ingredients: the text before any heading and after each ingredient heading."""
    label = _LEADING_WORD.sub("", label.strip())
    parts, start, keep = [], 0, True
    for match in _HEADING.finditer(label):
        if keep:
            parts.append(label[start : match.start()])
        heading = match.group(1).lower()
        keep = not heading.startswith(_SKIPPED_HEADINGS)
        start = match.end()
    if keep:
        parts.append(label[start:])
    return parts


def _split_top_level(text: str) -> list[str]:
    """Split at separators outside parentheses: commas (not inside numbers like 1,2-Hexanediol), semicolons,
    new lines, bullets, bars, and full stops that end an item."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for i, ch in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        separator = ch in ";\n\r•·|" or (ch == "," and not (before.isdigit() and after.isdigit())) or (
            ch == "." and (after == "" or after.isspace())  # a decimal point is followed by a digit
        )
        if separator and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    if depth:  # a parenthesis never closed: read the commas inside it as separators rather than lose the rest
        return [part for item in items for part in (re.split(r"[,;]", item) if item.count("(") > item.count(")") else [item])]
    return items


def _is_footnote_or_claim(item: str) -> bool:
    key = normalise(item)
    if item.lstrip().startswith(("*", "†", "‡")) and any(word in key for word in _FOOTNOTE_WORDS):
        return True
    return key.endswith(" free") or key in ("and", "free", "ingredients")


def split_label(label: str) -> list[str]:
    """The ingredients of a pasted label, in order, as printed.

    Reads labels as they are printed: "Ingredients:", "Active Ingredient: ...
    Inactive Ingredients: ...", "Contains:", "Key ingredients:" and the like;
    "(and)" and full stops between items; commas inside parentheses kept
    ("Essential Oils (Lavender, Rosemary)" is one item). "Free from: ..." lists,
    "fragrance-free" claims, directions and "*certified organic" footnotes are
    not ingredients.
    """
    items = []
    for section in _sections(label):
        for part in _split_top_level(_AND.sub(",", section)):
            if _is_footnote_or_claim(part):
                continue
            part = part.strip(" .*†‡\t-–—")
            if part and normalise(part):
                items.append(part)
    return items


def _variants(printed: str) -> list[str]:
    """Ways to read one printed ingredient: whole, 'Aqua (Water)' parts, 'Parfum/Fragrance' parts."""
    inner = [part for group in re.findall(r"\(([^)]*)\)", printed) for part in group.split(",")]
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


@lru_cache(maxsize=512)
def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A protocol pattern as a regular expression over a normalised name (see :class:`Ingredient`)."""
    pieces: list[str] = []
    gap = False
    for word in pattern.split():
        if word == "...":
            gap = True
            continue
        glob = "".join("[a-z0-9]*" if c == "*" else "[a-z0-9]" if c == "?" else re.escape(c) for c in word)
        if pieces:
            pieces.append("(?: [a-z0-9]+)* " if gap else " ")
        pieces.append(glob)
        gap = False
    return re.compile(r"(?:^| )" + "".join(pieces) + r"(?= |$)")


_INDEX: dict[int, tuple[Protocol, dict[str, Ingredient]]] = {}


def _names(protocol: Protocol) -> dict[str, Ingredient]:
    """Each printed name's ingredient, indexed once per protocol (a protocol holds a dict, so it is not hashable)."""
    cached = _INDEX.get(id(protocol))
    if cached is None or cached[0] is not protocol:
        if len(_INDEX) >= 8:  # a clinic's own files, tests: keep the cache small
            _INDEX.clear()
        cached = (protocol, {name: i for i in protocol.ingredients for name in i.names})
        _INDEX[id(protocol)] = cached
    return cached[1]


def _reading(protocol: Protocol, key: str) -> Ingredient | None:
    """What one reading of a name is: its exact name first ('hyaluronic acid' is not an exfoliating acid),
    else the most cautious family whose pattern it matches."""
    exact = _names(protocol).get(key)
    if exact is not None:
        return exact
    matches = [i for i in protocol.ingredients if any(pattern_regex(p).search(key) for p in i.patterns)]
    return max(matches, key=lambda i: _ROLE_RANK[i.role], default=None)


def identify(protocol: Protocol, printed: str) -> Ingredient | None:
    """The protocol ingredient a printed name stands for, if the app knows it.

    Every reading of the name counts and the most cautious wins: 'Essential Oils
    (Lavender, Rosemary)' is an essential oil, 'Citrus Paradisi (Grapefruit) Peel
    Oil' one too.
    """
    readings = [i for i in (_reading(protocol, key) for key in _variants(printed)) if i is not None]
    return max(readings, key=lambda i: _ROLE_RANK[i.role], default=None)


@dataclass(frozen=True)
class IngredientVerdict:
    printed: str
    ingredient: Ingredient | None  # None: not recognised
    verdict: str  # avoid | wait | check | ok
    reason: str
    sources: tuple[str, ...]

    @property
    def recognised(self) -> bool:
        return self.ingredient is not None


@dataclass(frozen=True)
class KindVerdict:
    kind: MaskKind
    verdict: str  # avoid | wait | ok
    allowed_from: datetime | None  # UTC; None when allowed now
    reason: str


@dataclass(frozen=True)
class MaskAdvice:
    verdict: str  # avoid | wait | check | ok
    reasons: tuple[str, ...]
    recommended: tuple[str, ...]  # ingredient names that suit this stage and skin state
    stage: MaskStage
    kinds: tuple[KindVerdict, ...]  # every mask kind, judged now
    ingredients: tuple[IngredientVerdict, ...]  # each ingredient asked about, in label order
    asked_kind: KindVerdict | None  # the kind the question was about
    ask_clinic: tuple[str, ...] = ()  # the ingredients (as printed) to ask the clinic about before using the mask


def _waiting(until: datetime, now: datetime) -> str:
    return f"in {format_duration(until - now)}"


def recovery_complete_at(protocol: Protocol, treatment: Treatment) -> datetime:
    """When the last restriction lifts for this treatment: from then on the app stops asking about unknown ingredients."""
    return max(lifts_at(rule, treatment) for rule in protocol.restrictions)


def judge_ingredient(protocol: Protocol, printed: str, treatment: Treatment, now: datetime) -> IngredientVerdict:
    ingredient = identify(protocol, printed)
    if ingredient is None:
        if now < recovery_complete_at(protocol, treatment):
            return IngredientVerdict(
                printed,
                None,
                CHECK,
                f"{printed}: not in the app's list, so it cannot say this is safe on recovering skin: ask your clinic before using it.",
                (),
            )
        return IngredientVerdict(printed, None, OK, f"{printed}: not in the app's list; recovery is complete, so your usual products are fine again.", ())
    label = f"{printed}: {ingredient.reason}"
    if ingredient.role in ("avoid", "check") and ingredient.lifted_by is not None:
        lifts = lifts_at(protocol.restriction(ingredient.lifted_by), treatment)
        if now < lifts:
            if ingredient.role == "avoid":
                return IngredientVerdict(printed, ingredient, AVOID, f"{label} Avoid until recovery allows it ({_waiting(lifts, now)}).", ingredient.sources)
            return IngredientVerdict(printed, ingredient, CHECK, f"{label} Once recovery is complete ({_waiting(lifts, now)}) it is fine.", ingredient.sources)
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


def infer_kind(verdicts: Sequence[IngredientVerdict]) -> str:
    """A mask made only of recognised gentle soothing/hydrating ingredients (and neutral ones) counts as a gentle
    mask; anything unrecognised, to check or to avoid makes it a regular one."""
    ingredients = [v.ingredient for v in verdicts]
    if not ingredients or any(i is None or i.role in ("avoid", "check") for i in ingredients):
        return "regular"
    actives = [i for i in ingredients if i is not None and i.role == "recommended"]
    return "hydrating" if actives and all(i.from_hour <= 24 for i in actives) else "regular"


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
    if kind is not None and kind not in {k.kind.id for k in kinds}:
        raise ValueError(f"unknown mask kind {kind!r}; expected one of: {', '.join(k.id for k in protocol.mask_kinds)}")
    inferred = infer_kind(verdicts)
    # A label that is not all recognised gentle ingredients is not a gentle mask, whatever it is sold as.
    demoted = kind in _GENTLE_KINDS and bool(verdicts) and inferred == "regular"
    asked_id = inferred if kind is None or demoted else kind
    asked = next(k for k in kinds if k.kind.id == asked_id)

    verdict = max([asked.verdict, *(v.verdict for v in verdicts)], key=_RANK.__getitem__)
    reasons = [stage.advice]
    if demoted:
        reasons.append("Not every ingredient is a recognised gentle one, so this counts as a regular mask, not a gentle one.")
    reasons += [v.reason for v in verdicts if v.verdict in (AVOID, WAIT, CHECK)]
    reasons.append(asked.reason)
    if asked.verdict != OK and asked.kind.id not in _GENTLE_KINDS:
        gentle_now = [k for k in kinds if k.kind.id in _GENTLE_KINDS and k.verdict == OK]
        if gentle_now:
            reasons.append("Gentle soothing sheet masks and hydrating masks are fine now.")
    if treatment.sensitive and hours < protocol.mask_kind("regular").sensitive_from_hour:
        reasons.append("Sensitive skin: avoid regular masks for now; keep to gentle ones.")
    ask = tuple(v.printed for v in verdicts if v.verdict == CHECK)
    if ask:
        unknown = [v.printed for v in verdicts if v.verdict == CHECK and not v.recognised]
        why = " What the app does not know makes this a regular mask, not a gentle one." if unknown else ""
        reasons.append(f"Ask your clinic before using this mask about: {', '.join(ask)}.{why}")
    unlisted = [v.printed for v in verdicts if not v.recognised and v.verdict == OK]
    if unlisted:
        reasons.append(f"Not in the app's list: {', '.join(unlisted)}.")
    recommended = tuple(protocol.ingredient(i).name for i in stage.recommended_for(skin))
    return MaskAdvice(verdict, tuple(reasons), recommended, stage, kinds, verdicts, asked, ask)
