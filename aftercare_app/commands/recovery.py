"""``status``, ``mask`` and ``triage``: the recovery core, without stored data.

JSON shapes (``--json``), a contract other tools depend on:

- status: ``{"hours_since", "day", "phase", "restrictions": [{"id", "allowed",
  "allowed_from", "remaining_hours", "reason", "sources"}], "checklist": [{"id",
  "text", "sources"}]}``; ``day`` is floor(hours_since / 24). Extra keys:
  ``phase_name``, each restriction's ``title``, ``note``, ``condition`` (what
  still holds once allowed, e.g. sun only with SPF and a hat; null when nothing
  does) and ``condition_until``, each task's ``restrictions`` (the ones it
  reminds of), ``area_notes`` (what differs for the scalp).
- mask: ``{"verdict": "avoid"|"wait"|"check"|"ok", "reasons", "recommended"}``,
  most cautious first: ``check`` means ask the clinic first, about the
  ingredients listed in ``ask_clinic``; an unrecognised ingredient is ``check``
  (never ``ok``) until recovery is complete. Extra: ``stage``, ``ingredients``
  (each judged: ``name``, ``recognised_as`` (null when not recognised),
  ``verdict`` avoid|wait|check|ok, ``reason``, ``sources``), ``kinds`` (every
  mask kind now) and ``ask_clinic``.
- triage: ``{"level": "normal"|"call_clinic"|"emergency", "reasons"}``; extra:
  ``day`` and ``sources``. ``--sign`` takes every warning sign, among them
  ``lump``, ``skin_colour_change`` (call the clinic) and ``throat_swelling``
  (emergency).
- rules: ``{"version", "rules": [{"rule", "bound", "sources", "citations":
  [{"source", "quote"}], "note"}]}``: each quote verbatim from its source;
  restrictions also carry ``scalp_bound`` and ``condition`` (what holds once
  lifted, or null).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, tzinfo
from typing import Any

from aftercare_app.commands import UsageError, parse_instant, parse_signs, parse_symptoms
from aftercare_app.content import default_protocol
from aftercare_app.domain.checklist import tasks_for_day
from aftercare_app.domain.masks import MAX_LABEL_CHARS, MAX_LABEL_INGREDIENTS, advise, split_label
from aftercare_app.domain.protocol import Protocol
from aftercare_app.domain.records import InvalidRecord
from aftercare_app.domain.restrictions import restriction_statuses
from aftercare_app.domain.rules import Cited
from aftercare_app.domain.timeline import Treatment, format_duration, hours_since, recovery_day
from aftercare_app.domain.triage import assess
from aftercare_app.domain.vocabulary import Area, Severity, SkinState, Symptom, WarningSign


def register(subparsers: argparse._SubParsersAction) -> None:
    status = subparsers.add_parser("status", help="restrictions, phase and today's checklist at a given time")
    _timing_options(status)
    status.add_argument("--area", choices=[a.value for a in Area], default=Area.FACE.value)
    status.set_defaults(handler=run_status)

    mask = subparsers.add_parser("mask", help="can a mask (its ingredients) be used at a given time")
    _timing_options(mask)
    mask.add_argument("--skin", choices=["dry", "flaky", "normal"], default="normal", help="how the skin feels today")
    mask.add_argument("--ingredients", default="", help='the label as printed: "Ingredients: Aqua, Glycerin, Parfum"')
    mask.add_argument("--kind", help="mask kind, e.g. soothing_sheet, hydrating, regular, clay, exfoliating, peel_off")
    mask.set_defaults(handler=run_mask)

    triage = subparsers.add_parser("triage", help="what a set of symptoms and warning signs calls for")
    _timing_options(triage)
    triage.add_argument("--symptom", action="append", metavar="NAME=SEVERITY", help="e.g. swelling=2 (0-3); repeatable")
    triage.add_argument("--sign", action="append", metavar="NAME", help="warning sign; repeatable")
    triage.set_defaults(handler=run_triage)

    rules = subparsers.add_parser("rules", help="every rule of the protocol with its bounds and source documents")
    rules.add_argument("--json", action="store_true", help="print JSON")
    rules.set_defaults(handler=run_rules)


def _timing_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--treated", required=True, help="treatment time, ISO 8601 with offset")
    parser.add_argument("--at", required=True, help="the time asked about, ISO 8601 with offset")
    parser.add_argument("--sensitive", action="store_true", help="sensitive or reactive skin")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _treatment(args: argparse.Namespace) -> tuple[Treatment, datetime]:
    treated = parse_instant(args.treated, "--treated")
    at = parse_instant(args.at, "--at")
    if at < treated:
        raise UsageError("--at is before --treated")
    area = Area(getattr(args, "area", Area.FACE.value))
    return Treatment(treated, area, args.sensitive), at


def _iso(instant: datetime, zone: tzinfo | None) -> str:
    return instant.astimezone(zone).isoformat(timespec="seconds")


def status_json(protocol: Protocol, treatment: Treatment, at: datetime) -> dict[str, Any]:
    hours = hours_since(treatment, at)
    day = recovery_day(treatment, at)
    phase = protocol.phase_at(hours)
    return {
        "hours_since": round(hours, 6),
        "day": day,
        "phase": phase.id,
        "phase_name": phase.name,
        "restrictions": [
            {
                "id": s.id.value,
                "title": s.title,
                "allowed": s.allowed,
                "allowed_from": _iso(s.allowed_from, at.tzinfo),
                "remaining_hours": 0.0 if s.allowed else round(s.remaining_hours, 6),
                "condition": s.condition or None,
                "condition_until": _iso(s.condition_until, at.tzinfo) if s.condition_until else None,
                "reason": s.rule.reason,
                "note": s.rule.note,
                "sources": list(s.rule.sources),
            }
            for s in restriction_statuses(protocol, treatment, at)
        ],
        "checklist": [
            {"id": t.id, "text": t.text, "sources": list(t.sources), "restrictions": [r.value for r in t.restrictions]}
            for t in tasks_for_day(protocol, day, treatment)
        ],
        "area_notes": [
            {"id": n.id, "text": n.text, "sources": list(n.sources)} for n in protocol.scalp_notes if treatment.area is Area.SCALP
        ],
    }


def run_status(args: argparse.Namespace) -> int:
    protocol = default_protocol()
    treatment, at = _treatment(args)
    if args.json:
        return _print_json(status_json(protocol, treatment, at))
    day = recovery_day(treatment, at)
    phase = protocol.phase_at(hours_since(treatment, at))
    lines = [f"Day {day + 1} of recovery ({hours_since(treatment, at):.1f} h since treatment). Phase: {phase.name}."]
    statuses = restriction_statuses(protocol, treatment, at)
    waiting = [s for s in statuses if not s.allowed]
    if waiting:
        lines.append("Not yet:")
        lines += [f"  {s.title}: allowed in {format_duration(s.remaining)} ({_iso(s.allowed_from, at.tzinfo)})" for s in waiting]
    limited = [s for s in statuses if s.allowed and s.condition]
    if limited:
        lines.append("Allowed, with care:")
        lines += [f"  {s.title}: {s.condition} (until {_iso(s.condition_until, at.tzinfo)})" for s in limited if s.condition_until]
    allowed = [s.title for s in statuses if s.allowed and not s.condition]
    if allowed:
        lines.append("Now allowed: " + "; ".join(allowed))
    lines.append("Today's checklist:")
    lines += [f"  [ ] {t.text}" for t in tasks_for_day(protocol, day, treatment)]
    print("\n".join(lines))
    return 0


def run_mask(args: argparse.Namespace) -> int:
    protocol = default_protocol()
    treatment, at = _treatment(args)
    skin = SkinState.DRY if args.skin in ("dry", "flaky") else SkinState.NORMAL
    kinds = {k.id for k in protocol.mask_kinds}
    if args.kind is not None and args.kind not in kinds:
        raise UsageError(f"unknown mask kind {args.kind!r}; expected one of: {', '.join(sorted(kinds))}")
    names = split_label(args.ingredients)
    if len(args.ingredients) > MAX_LABEL_CHARS or len(names) > MAX_LABEL_INGREDIENTS:
        raise UsageError(f"--ingredients is longer than any product's ingredient list ({len(names)} items, "
                         f"{len(args.ingredients)} characters; at most {MAX_LABEL_INGREDIENTS} items, "
                         f"{MAX_LABEL_CHARS} characters): give the ingredients of one product")
    advice = advise(protocol, treatment, at, skin, names, args.kind)
    if args.json:
        return _print_json(
            {
                "verdict": advice.verdict,
                "reasons": list(advice.reasons),
                "recommended": list(advice.recommended),
                "stage": advice.stage.id,
                "ask_clinic": list(advice.ask_clinic),
                "ingredients": [
                    {
                        "name": v.printed,
                        "recognised_as": v.ingredient.id if v.ingredient else None,
                        "verdict": v.verdict,
                        "reason": v.reason,
                        "sources": list(v.sources),
                    }
                    for v in advice.ingredients
                ],
                "kinds": [
                    {
                        "id": k.kind.id,
                        "verdict": k.verdict,
                        "allowed_from": _iso(k.allowed_from, at.tzinfo) if k.allowed_from else None,
                        "sources": list(k.kind.sources),
                    }
                    for k in advice.kinds
                ],
            }
        )
    headline = {"check": "CHECK (ask your clinic first)"}.get(advice.verdict, advice.verdict.upper())
    print(f"Verdict: {headline} (stage: {advice.stage.name})")
    for reason in advice.reasons:
        print(f"  - {reason}")
    if advice.recommended:
        print("Suits this stage: " + ", ".join(advice.recommended))
    return 0


def run_triage(args: argparse.Namespace) -> int:
    protocol = default_protocol()
    treatment, at = _treatment(args)
    symptoms = {Symptom(k): Severity(v) for k, v in parse_symptoms(args.symptom).items()}
    signs = [WarningSign(s) for s in parse_signs(args.sign)]
    try:
        result = assess(protocol, treatment, at, symptoms, signs)
    except InvalidRecord as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        return _print_json(
            {
                "level": result.level.code,
                "reasons": list(result.reasons),
                "day": result.day,
                "sources": sorted({s for f in result.findings for s in f.sources}),
            }
        )
    headline = {
        "normal": "Normal for this day of recovery.",
        "call_clinic": "Call the clinic.",
        "emergency": "Seek emergency care now.",
    }[result.level.code]
    print(f"Day {result.day + 1}: {headline}")
    for reason in result.reasons:
        print(f"  - {reason}")
    return 0


def _hours(hours: float) -> str:
    return f"{hours:g} h" if hours < 72 else f"{hours / 24:g} days"


def _cited(rule: Cited, row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "sources": list(rule.sources), "citations": [{"source": c.source, "quote": c.quote} for c in rule.citations]}


def rules_table(protocol: Protocol) -> list[dict[str, Any]]:
    """The protocol's rules, flattened for a clinician to audit: rule, bound, sources, note and the quotes behind it."""
    rows: list[dict[str, Any]] = [
        _cited(
            r,
            {
                "rule": f"restriction {r.id.value}",
                "bound": _hours(r.hours) + (f" (sensitive skin {_hours(r.sensitive_hours)})" if r.sensitive_hours != r.hours else ""),
                "scalp_bound": _hours(r.window_hours(False, Area.SCALP)),
                "condition": f"{r.then_text} (until {_hours(r.then_until_hours)})" if r.then_text and r.then_until_hours else None,
                "note": r.note,
            },
        )
        for r in protocol.restrictions
    ]
    rows += [
        _cited(p, {"rule": f"phase {p.id}", "bound": f"{_hours(p.from_hour)} to {_hours(p.until_hour) if p.until_hour else 'open'}", "note": p.summary})
        for p in protocol.phases
    ]
    rows += [_cited(t, {"rule": f"task {t.id}", "bound": ", ".join(t.phases), "note": t.text}) for t in protocol.tasks]
    rows += [
        _cited(
            k,
            {
                "rule": f"mask kind {k.id}",
                "bound": f"{k.verdict_before} before {_hours(k.from_hour)}" + (f" (sensitive skin {_hours(k.sensitive_from_hour)})" if k.sensitive_from_hour != k.from_hour else ""),
                "note": k.reason,
            },
        )
        for k in protocol.mask_kinds
    ]
    rows += [
        _cited(m, {"rule": f"mask stage {m.id}", "bound": f"{_hours(m.from_hour)} to {_hours(m.until_hour) if m.until_hour else 'open'}", "note": m.advice})
        for m in protocol.mask_stages
    ]
    rows += [
        _cited(
            i,
            {
                "rule": f"ingredient {i.id}",
                "bound": i.role + (f" until {i.lifted_by.value} lifts" if i.lifted_by else "") + (f", from {_hours(i.from_hour)}" if i.from_hour else ""),
                "note": " ".join(x for x in (i.reason, i.note, i.basis) if x),
            },
        )
        for i in protocol.ingredients
    ]
    rows += [
        _cited(
            s,
            {
                "rule": f"symptom {s.symptom.value}",
                "bound": "; ".join(
                    f"day {b.from_day + 1}+: up to {b.max.label}"
                    + (f" (above {b.watch_above.label}: call if not settled by {b.watch_until_hour:g} h)" if b.watch_above is not None else "")
                    for b in s.bands
                ),
                "note": s.bands[0].text,
            },
        )
        for s in protocol.symptom_rules
    ]
    rows += [_cited(s, {"rule": f"sign {s.sign.value}", "bound": s.level.code, "note": s.reason}) for s in protocol.sign_rules]
    rows += [
        _cited(
            c,
            {
                "rule": f"combination {c.id}",
                "bound": f"{c.symptom.value} with {' or '.join([*(x.value for x in c.with_symptoms), *(x.value for x in c.with_signs)])}: {c.level.code}",
                "note": c.reason,
            },
        )
        for c in protocol.combinations
    ]
    h = protocol.history_rule
    rows.append(
        _cited(
            h,
            {
                "rule": "history",
                "bound": f"{'/'.join(s.value for s in h.symptoms)} logged for {h.min_hours:g} h or more without improving, or worse than a day before: call_clinic",
                "note": " ".join(x for x in (h.reason.replace("{days}", f"{h.min_days} days"), h.note) if x),
            },
        )
    )
    rows += [_cited(i, {"rule": f"information {i.id}", "bound": "", "note": i.text}) for i in protocol.contraindications + protocol.course + protocol.scalp_notes]
    return rows


def run_rules(args: argparse.Namespace) -> int:
    rows = rules_table(default_protocol())
    if args.json:
        return _print_json({"version": default_protocol().version, "rules": rows})
    print("| rule | bound | sources | note | quotes |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        sources = ", ".join(s.split("_")[0] for s in row["sources"])
        quotes = "; ".join(f'{c["source"].split("_")[0]}: "{c["quote"]}"' for c in row["citations"])
        cells = [row["rule"], row["bound"], sources, row["note"], quotes]
        print("| " + " | ".join(_cell(c) for c in cells) + " |")
    return 0


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.replace("|", "\\|").split())


def _print_json(payload: dict[str, Any]) -> int:
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0
