"""The aftercare protocol: every clinical rule the app applies (the rule types are in
:mod:`aftercare_app.domain.rules`), and the check of the file that holds them.

The protocol is data (``aftercare_app/content/protocol.json``); this module
defines its shape and checks it on load, so a clinic can adjust timings without
touching code and a mistake in the file is caught at start-up, not in a screen.

The file keeps the rules' sentences once, in its ``quotes`` table, and each rule
cites them by id.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aftercare_app.domain.rules import (
    ROLES,
    Citation,
    CombinationRule,
    HistoryRule,
    InfoItem,
    Ingredient,
    MaskKind,
    MaskStage,
    NormalBand,
    Phase,
    Restriction,
    SignRule,
    SymptomRule,
    Task,
)
from aftercare_app.domain.vocabulary import (
    RestrictionId,
    Severity,
    Symptom,
    TriageLevel,
    WarningSign,
)


class ProtocolError(ValueError):
    """The protocol file is malformed; the message names the offending rule."""


_PATTERN_WORD = re.compile(r"^(\.\.\.|[a-z0-9*?]+)$")
_NAME = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")


def check_pattern(pattern: str) -> bool:
    """Whether ``pattern`` is well formed: glob words and ``...``, with at least one word that is not only wildcards."""
    words = pattern.split()
    return bool(words) and all(_PATTERN_WORD.match(w) for w in words) and any(w != "..." and w.strip("*?") for w in words)


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
