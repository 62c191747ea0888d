"""The clinical rules the protocol is made of, as typed values: restrictions, phases, tasks, what is normal for each
symptom, warning signs, masks and ingredients.

Every rule carries ``citations``: pairs of (seed document, the sentence of it the
rule rests on, verbatim), so a clinician can check each rule against its source.
``sources`` (the document names alone) is derived from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from aftercare_app.domain.vocabulary import (
    Area,
    RestrictionId,
    Severity,
    SkinState,
    Symptom,
    TriageLevel,
    WarningSign,
)


class Citation(NamedTuple):
    """A sentence of a source document, verbatim, that a rule rests on: (file name, quote)."""

    source: str
    quote: str


def sources_of(citations: Iterable[Citation]) -> tuple[str, ...]:
    """The documents ``citations`` come from, in order, once each."""
    return tuple(dict.fromkeys(c.source for c in citations))


class Cited:
    """A rule with citations; ``sources`` names the documents they come from."""

    citations: tuple[Citation, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return sources_of(self.citations)


@dataclass(frozen=True)
class Restriction(Cited):
    """Something to avoid until ``hours`` after the treatment (longer for sensitive skin or a treated scalp).

    Once lifted, a restriction may still hold a condition until ``then_until_hours``
    (``then_text``: direct sun is allowed only with SPF and a hat until week 4).
    """

    id: RestrictionId
    title: str
    hours: float
    sensitive_hours: float
    reason: str
    note: str
    citations: tuple[Citation, ...]
    scalp_title: str = ""
    scalp_hours: float = 0.0  # the sources give no scalp timings: a treated scalp waits at least this long
    then_text: str = ""
    then_until_hours: float | None = None

    def window_hours(self, sensitive: bool, area: Area = Area.FACE) -> float:
        hours = self.sensitive_hours if sensitive else self.hours
        return max(hours, self.scalp_hours) if area is Area.SCALP else hours

    @property
    def longest_hours(self) -> float:
        """The window for whoever waits longest (sensitive skin, treated scalp)."""
        return max(self.hours, self.sensitive_hours, self.scalp_hours)

    def title_for(self, area: Area) -> str:
        return self.scalp_title if area is Area.SCALP and self.scalp_title else self.title


@dataclass(frozen=True)
class Phase(Cited):
    """A stretch of recovery, from ``from_hour`` (inclusive) to ``until_hour`` (exclusive, None: open)."""

    id: str
    name: str
    from_hour: float
    until_hour: float | None
    summary: str
    citations: tuple[Citation, ...]

    def contains(self, hours: float) -> bool:
        return hours >= self.from_hour and (self.until_hour is None or hours < self.until_hour)


@dataclass(frozen=True)
class Task(Cited):
    """A checklist item shown on the days of the listed phases.

    A task that reminds of ``restrictions`` is shown only on days when at least
    one of them is still in force, so no reminder outlives its rule.
    """

    id: str
    text: str
    phases: tuple[str, ...]
    citations: tuple[Citation, ...]
    restrictions: tuple[RestrictionId, ...] = ()


@dataclass(frozen=True)
class NormalBand:
    """From ``from_day`` on (until the next band), severity up to ``max`` is expected.

    A band may ask to watch a symptom above ``watch_above`` (still within
    ``max``, but more than the sources' "mild"): if it has not settled by
    ``watch_until_hour`` after treatment, call the clinic.
    """

    from_day: int
    max: Severity
    text: str
    watch_above: Severity | None = None
    watch_until_hour: float | None = None
    watch_text: str = ""


@dataclass(frozen=True)
class SymptomRule(Cited):
    """What is normal for a symptom by recovery day, and when it is not."""

    symptom: Symptom
    bands: tuple[NormalBand, ...]
    severe_reason: str
    normal_citations: tuple[Citation, ...]  # what is expected, day by day
    severe_citations: tuple[Citation, ...] = ()  # why a severe one is not (when other sentences say so)
    citations: tuple[Citation, ...] = field(init=False, repr=False, compare=False)  # both, each once

    def __post_init__(self) -> None:
        extra = tuple(c for c in self.severe_citations if c not in self.normal_citations)
        object.__setattr__(self, "citations", self.normal_citations + extra)

    @property
    def normal_sources(self) -> tuple[str, ...]:
        return sources_of(self.normal_citations)

    @property
    def severe_sources(self) -> tuple[str, ...]:
        return sources_of(self.severe_citations or self.normal_citations)

    def band_for(self, day: int) -> NormalBand:
        current = self.bands[0]
        for band in self.bands:
            if band.from_day <= day:
                current = band
        return current


@dataclass(frozen=True)
class SignRule(Cited):
    """A warning sign and the action it calls for."""

    sign: WarningSign
    level: TriageLevel
    reason: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class HistoryRule(Cited):
    """A symptom logged for ``min_days`` days (elapsed time) without improving, or getting worse over a day or more,
    calls the clinic. ``reason`` and ``worse_reason`` hold ``{days}``."""

    symptoms: tuple[Symptom, ...]
    min_days: int
    reason: str
    citations: tuple[Citation, ...]
    worse_reason: str = "has got worse over the last {days}: call your clinic."
    note: str = ""

    @property
    def min_hours(self) -> float:
        return self.min_days * 24.0


@dataclass(frozen=True)
class CombinationRule(Cited):
    """Signs that together mean more than each alone: ``symptom`` with any of ``with_symptoms`` or ``with_signs``."""

    id: str
    symptom: Symptom
    with_symptoms: tuple[Symptom, ...]
    with_signs: tuple[WarningSign, ...]
    level: TriageLevel
    reason: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class MaskKind(Cited):
    """A kind of mask, allowed from ``from_hour`` (``sensitive_from_hour`` for sensitive skin)."""

    id: str
    name: str
    from_hour: float
    sensitive_from_hour: float
    until_hour: float | None
    verdict_before: str  # "wait" or "avoid" while not yet allowed
    reason: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class MaskStage(Cited):
    """What masks suit a stretch of recovery, by skin state."""

    id: str
    name: str
    from_hour: float
    until_hour: float | None
    advice: str
    recommended: tuple[str, ...]  # ingredient ids
    dry_skin_recommended: tuple[str, ...]
    citations: tuple[Citation, ...]

    def contains(self, hours: float) -> bool:
        return hours >= self.from_hour and (self.until_hour is None or hours < self.until_hour)

    def recommended_for(self, skin: SkinState) -> tuple[str, ...]:
        if skin is SkinState.DRY and self.dry_skin_recommended:
            return self.dry_skin_recommended + tuple(i for i in self.recommended if i not in self.dry_skin_recommended)
        return self.recommended


@dataclass(frozen=True)
class Ingredient(Cited):
    """An ingredient as printed on labels (INCI and common names) and how recovery treats it.

    ``role`` is ``avoid`` (unsuitable until ``lifted_by`` allows it), ``check``
    (the sources do not settle it: ask the clinic until ``lifted_by`` lifts),
    ``recommended`` (suits the stages that list it; ``from_hour`` says when it is
    first advisable) or ``neutral`` (known and harmless here, e.g. fatty alcohols).
    The sources name no neutral ingredient: a neutral one says its ``basis``.

    ``names`` are printed names, normalised (lower-case ASCII words); ``patterns``
    recognise a family by its words: each word a glob (``retin*``, ``*ascorb*``)
    matched against whole words, ``...`` standing for any words between
    (``citrus ... oil``), all in order somewhere in the name.
    """

    id: str
    name: str
    role: str
    names: tuple[str, ...]
    patterns: tuple[str, ...]
    reason: str
    citations: tuple[Citation, ...]
    lifted_by: RestrictionId | None = None
    from_hour: float = 0.0
    basis: str = ""
    note: str = ""  # for the clinician: how the app read the sources here


ROLES = ("avoid", "check", "recommended", "neutral")  # the values of Ingredient.role


@dataclass(frozen=True)
class InfoItem(Cited):
    """Information the app shows (contraindications, course of sessions), with sources."""

    id: str
    text: str
    citations: tuple[Citation, ...]


