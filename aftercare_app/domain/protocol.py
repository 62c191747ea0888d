"""The aftercare protocol: every clinical rule the app applies, as typed values.

The protocol is data (``aftercare_app/content/protocol.json``); this module
defines its shape and checks it on load, so a clinic can adjust timings without
touching code and a mistake in the file is caught at start-up, not in a screen.

Every rule carries ``citations``: pairs of (seed document, the sentence of it the
rule rests on, verbatim), so a clinician can check each rule against its source.
The file keeps the sentences once, in its ``quotes`` table, and each rule cites
them by id. ``sources`` (the document names alone) is derived from them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from aftercare_app.domain.vocabulary import (
    Area,
    RestrictionId,
    Severity,
    SkinState,
    Symptom,
    TriageLevel,
    WarningSign,
)


class ProtocolError(ValueError):
    """The protocol file is malformed; the message names the offending rule."""


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


ROLES = ("avoid", "check", "recommended", "neutral")
_PATTERN_WORD = re.compile(r"^(\.\.\.|[a-z0-9*?]+)$")
_NAME = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")


def check_pattern(pattern: str) -> bool:
    """Whether ``pattern`` is well formed: glob words and ``...``, with at least one word that is not only wildcards."""
    words = pattern.split()
    return bool(words) and all(_PATTERN_WORD.match(w) for w in words) and any(w != "..." and w.strip("*?") for w in words)


@dataclass(frozen=True)
class InfoItem(Cited):
    """Information the app shows (contraindications, course of sessions), with sources."""

    id: str
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Protocol:
    """The whole aftercare protocol the app reads."""

    version: str
    sources: Mapping[str, str]
    restrictions: tuple[Restriction, ...]
    phases: tuple[Phase, ...]
    tasks: tuple[Task, ...]
    symptom_rules: tuple[SymptomRule, ...]
    sign_rules: tuple[SignRule, ...]
    history_rule: HistoryRule
    combinations: tuple[CombinationRule, ...]
    mask_kinds: tuple[MaskKind, ...]
    mask_stages: tuple[MaskStage, ...]
    ingredients: tuple[Ingredient, ...]
    contraindications: tuple[InfoItem, ...]
    course: tuple[InfoItem, ...]
    scalp_notes: tuple[InfoItem, ...]
    disclaimer: str

    def restriction(self, rid: RestrictionId) -> Restriction:
        return next(r for r in self.restrictions if r.id is rid)

    def phase_at(self, hours: float) -> Phase:
        for phase in self.phases:
            if phase.contains(hours):
                return phase
        return self.phases[0] if hours < self.phases[0].from_hour else self.phases[-1]

    def symptom_rule(self, symptom: Symptom) -> SymptomRule:
        return next(r for r in self.symptom_rules if r.symptom is symptom)

    def sign_rule(self, sign: WarningSign) -> SignRule:
        return next(r for r in self.sign_rules if r.sign is sign)

    def ingredient(self, iid: str) -> Ingredient:
        return next(i for i in self.ingredients if i.id == iid)

    def mask_stage_at(self, hours: float) -> MaskStage:
        for stage in self.mask_stages:
            if stage.contains(hours):
                return stage
        return self.mask_stages[-1]

    def mask_kind(self, kid: str) -> MaskKind:
        return next(k for k in self.mask_kinds if k.id == kid)

    def task(self, tid: str) -> Task:
        return next(t for t in self.tasks if t.id == tid)


# --- loading -----------------------------------------------------------------------------------


def _quotes(raw: Mapping[str, Any], known: Mapping[str, str]) -> dict[str, Citation]:
    quotes = {}
    for qid, q in raw.items():
        where = f"quote {qid}"
        if q.get("source") not in known:
            raise ProtocolError(f"{where}: unknown source {q.get('source')!r}")
        quotes[qid] = Citation(q["source"], _text(q, "text", where))
    return quotes


@dataclass(frozen=True)
class _Citer:
    """The quotes a rule of the file cites under ``key``, looked up in the file's quotes table."""

    quotes: Mapping[str, Citation]

    def __call__(self, raw: Mapping[str, Any], where: str, key: str = "cites", required: bool = True) -> tuple[Citation, ...]:
        ids = tuple(raw.get(key, ()))
        if required and not ids:
            raise ProtocolError(f"{where}: every rule needs at least one source: cite a quote of it")
        unknown = [i for i in ids if i not in self.quotes]
        if unknown:
            raise ProtocolError(f"{where}: unknown source quote(s) {unknown}")
        return tuple(self.quotes[i] for i in ids)


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(f"{where}: {key!r} must be non-empty text")
    return value


def _band(raw: Mapping[str, Any], where: str) -> NormalBand:
    watch = raw.get("watch") or {}
    band = NormalBand(
        int(raw["from_day"]),
        Severity(int(raw["max"])),
        _text(raw, "text", where),
        Severity(int(watch["above"])) if watch else None,
        float(watch["until_hour"]) if watch else None,
        _text(watch, "text", where) if watch else "",
    )
    if band.watch_above is not None and band.watch_above >= band.max:
        raise ProtocolError(f"{where}: a band watches severities above watch.above and up to its max")
    return band


def parse_protocol(raw: Mapping[str, Any]) -> Protocol:
    """Check and convert the protocol file's JSON into a :class:`Protocol`."""
    try:
        return _parse(raw)
    except ProtocolError:
        raise
    except (KeyError, TypeError, ValueError, StopIteration) as exc:
        raise ProtocolError(f"protocol file is malformed: {exc!r}") from exc


def _parse(raw: Mapping[str, Any]) -> Protocol:
    known = dict(raw["sources"])
    cite = _Citer(_quotes(raw.get("quotes", {}), known))

    restrictions = []
    for r in raw["restrictions"]:
        where = f"restriction {r.get('id')}"
        hours = float(r["hours"])
        sensitive = float(r.get("sensitive_hours", hours))
        if hours <= 0 or sensitive < hours:
            raise ProtocolError(f"{where}: hours must be positive and sensitive_hours at least hours")
        then = r.get("then") or {}
        then_until = None if then.get("until_hours") is None else float(then["until_hours"])
        if then and (then_until is None or then_until <= max(hours, sensitive)):
            raise ProtocolError(f"{where}: a condition after the window needs until_hours past the window")
        restrictions.append(
            Restriction(
                id=RestrictionId(r["id"]),
                title=_text(r, "title", where),
                hours=hours,
                sensitive_hours=sensitive,
                reason=_text(r, "reason", where),
                note=_text(r, "note", where),
                citations=cite(r, where),
                scalp_title=r.get("scalp_title", ""),
                scalp_hours=float(r.get("scalp_hours", 0)),
                then_text=_text(then, "text", where) if then else "",
                then_until_hours=then_until,
            )
        )
    missing = set(RestrictionId) - {r.id for r in restrictions}
    if missing:
        raise ProtocolError(f"restrictions missing: {sorted(m.value for m in missing)}")

    phases = tuple(
        Phase(
            id=p["id"],
            name=_text(p, "name", f"phase {p['id']}"),
            from_hour=float(p["from_hour"]),
            until_hour=None if p.get("until_hour") is None else float(p["until_hour"]),
            summary=_text(p, "summary", f"phase {p['id']}"),
            citations=cite(p, f"phase {p['id']}"),
        )
        for p in raw["phases"]
    )
    for before, after in itertools.pairwise(phases):
        if before.until_hour != after.from_hour:
            raise ProtocolError(f"phases {before.id} and {after.id} must meet without gap or overlap")
    if phases[0].from_hour != 0 or phases[-1].until_hour is not None:
        raise ProtocolError("phases must start at hour 0 and the last must be open-ended")
    phase_ids = {p.id for p in phases}

    tasks = []
    for t in raw["tasks"]:
        where = f"task {t.get('id')}"
        unknown = set(t["phases"]) - phase_ids
        if unknown:
            raise ProtocolError(f"{where}: unknown phases {sorted(unknown)}")
        tasks.append(
            Task(
                id=t["id"],
                text=_text(t, "text", where),
                phases=tuple(t["phases"]),
                citations=cite(t, where),
                restrictions=tuple(RestrictionId(x) for x in t.get("restrictions", ())),
            )
        )
    if len({t.id for t in tasks}) != len(tasks):
        raise ProtocolError("task ids must be unique")

    symptom_rules = []
    for s in raw["symptoms"]:
        where = f"symptom {s.get('id')}"
        bands = tuple(_band(b, where) for b in s["normal"])
        if not bands or bands[0].from_day != 0 or list(bands) != sorted(bands, key=lambda b: b.from_day):
            raise ProtocolError(f"{where}: normal bands must start at day 0 and ascend")
        symptom_rules.append(
            SymptomRule(
                Symptom(s["id"]),
                bands,
                _text(s, "severe_reason", where),
                cite(s, where),
                cite(s, where, "severe_cites", required=False),
            )
        )
    if {r.symptom for r in symptom_rules} != set(Symptom):
        raise ProtocolError("every symptom needs a rule")

    sign_rules = tuple(
        SignRule(
            WarningSign(s["id"]),
            TriageLevel[s["level"].upper()],
            _text(s, "reason", f"sign {s['id']}"),
            cite(s, f"sign {s['id']}"),
        )
        for s in raw["warning_signs"]
    )
    if {r.sign for r in sign_rules} != set(WarningSign) or any(r.level is TriageLevel.NORMAL for r in sign_rules):
        raise ProtocolError("every warning sign needs a rule calling the clinic or emergency care")

    h = raw["history_rule"]
    history_rule = HistoryRule(
        tuple(Symptom(s) for s in h["symptoms"]),
        int(h["min_days"]),
        _text(h, "reason", "history rule"),
        cite(h, "history rule"),
        h.get("worse_reason", HistoryRule.worse_reason),
        h.get("note", ""),
    )
    if "{days}" not in history_rule.reason or "{days}" not in history_rule.worse_reason or history_rule.min_days < 1:
        raise ProtocolError("history rule: min_days must be at least 1 and its reasons must say {days}")

    combinations = tuple(
        CombinationRule(
            id=c["id"],
            symptom=Symptom(c["symptom"]),
            with_symptoms=tuple(Symptom(x) for x in c.get("with_symptoms", ())),
            with_signs=tuple(WarningSign(x) for x in c.get("with_signs", ())),
            level=TriageLevel[c["level"].upper()],
            reason=_text(c, "reason", f"combination {c['id']}"),
            citations=cite(c, f"combination {c['id']}"),
        )
        for c in raw.get("combinations", ())
    )
    if any(c.level is TriageLevel.NORMAL or not (c.with_symptoms or c.with_signs) for c in combinations):
        raise ProtocolError("combinations must call the clinic or emergency care and name what goes with the symptom")

    ingredients = []
    for i in raw["ingredients"]:
        where = f"ingredient {i.get('id')}"
        if i["role"] not in ROLES:
            raise ProtocolError(f"{where}: role must be one of {', '.join(ROLES)}")
        if i["role"] in ("avoid", "check") and not i.get("lifted_by"):
            raise ProtocolError(f"{where}: an ingredient to avoid or to check needs lifted_by")
        bad = [n for n in i.get("names", ()) if not _NAME.match(n)] + [x for x in i.get("patterns", ()) if not check_pattern(x)]
        if bad:
            raise ProtocolError(f"{where}: names must be lower-case words and patterns glob words or '...': {bad}")
        neutral = i["role"] == "neutral"
        if neutral and not (i.get("cites") or str(i.get("basis", "")).strip()):
            raise ProtocolError(f"{where}: a neutral ingredient needs a source quote or its basis")
        ingredients.append(
            Ingredient(
                id=i["id"],
                name=_text(i, "name", where),
                role=i["role"],
                names=tuple(i.get("names", ())),
                patterns=tuple(i.get("patterns", ())),
                reason=_text(i, "reason", where),
                citations=cite(i, where, required=not neutral),
                lifted_by=RestrictionId(i["lifted_by"]) if i.get("lifted_by") else None,
                from_hour=float(i.get("from_hour", 0)),
                basis=str(i.get("basis", "")),
                note=str(i.get("note", "")),
            )
        )
    ingredient_ids = {i.id for i in ingredients}
    if len(ingredient_ids) != len(ingredients):
        raise ProtocolError("ingredient ids must be unique")
    seen: dict[str, str] = {}
    for ingredient in ingredients:
        for name in ingredient.names:
            if seen.setdefault(name, ingredient.id) != ingredient.id:
                raise ProtocolError(f"ingredient name {name!r} belongs to both {seen[name]} and {ingredient.id}")

    mask_kinds = tuple(
        MaskKind(
            id=k["id"],
            name=_text(k, "name", f"mask kind {k['id']}"),
            from_hour=float(k["from_hour"]),
            sensitive_from_hour=float(k.get("sensitive_from_hour", k["from_hour"])),
            until_hour=None if k.get("until_hour") is None else float(k["until_hour"]),
            verdict_before=k["verdict_before"],
            reason=_text(k, "reason", f"mask kind {k['id']}"),
            citations=cite(k, f"mask kind {k['id']}"),
        )
        for k in raw["mask_kinds"]
    )
    if any(k.verdict_before not in ("wait", "avoid") for k in mask_kinds):
        raise ProtocolError("mask kinds: verdict_before must be wait or avoid")

    mask_stages = []
    for m in raw["mask_stages"]:
        where = f"mask stage {m.get('id')}"
        recommended = tuple(m.get("recommended", ()))
        dry = tuple(m.get("dry_skin_recommended", ()))
        unknown = (set(recommended) | set(dry)) - ingredient_ids
        if unknown:
            raise ProtocolError(f"{where}: unknown ingredients {sorted(unknown)}")
        mask_stages.append(
            MaskStage(
                id=m["id"],
                name=_text(m, "name", where),
                from_hour=float(m["from_hour"]),
                until_hour=None if m.get("until_hour") is None else float(m["until_hour"]),
                advice=_text(m, "advice", where),
                recommended=recommended,
                dry_skin_recommended=dry,
                citations=cite(m, where),
            )
        )

    def info(items: Sequence[Mapping[str, Any]], kind: str) -> tuple[InfoItem, ...]:
        return tuple(InfoItem(x["id"], _text(x, "text", f"{kind} {x['id']}"), cite(x, f"{kind} {x['id']}")) for x in items)

    return Protocol(
        version=str(raw["version"]),
        sources=known,
        restrictions=tuple(restrictions),
        phases=phases,
        tasks=tuple(tasks),
        symptom_rules=tuple(symptom_rules),
        sign_rules=sign_rules,
        history_rule=history_rule,
        combinations=combinations,
        mask_kinds=mask_kinds,
        mask_stages=tuple(mask_stages),
        ingredients=tuple(ingredients),
        contraindications=info(raw["contraindications"], "contraindication"),
        course=info(raw["course"], "course"),
        scalp_notes=info(raw.get("scalp_notes", ()), "scalp note"),
        disclaimer=_text(raw, "disclaimer", "protocol"),
    )
