"""The follow-up report as a PDF a clinician reads in one minute, in colour or not.

Made with fpdf2 (pure Python; Pillow is optional and unused here, fontTools and
defusedxml are pure Python), so it runs wherever the app runs, the in-browser
build included. One to two A4 pages for a normal recovery:

1. the session: treatment instant, area, skin, day of recovery, session number, follow-up, clinic;
2. red-flag events first, each with what was advised;
3. one chart per symptom: the day's peak severity as bars, the most expected that
   day as a dashed line, "!" over a day above it; grey levels, outlines and labels
   carry the meaning, never colour alone;
4. checklist adherence by day;
5. notes, in the patient's own words and script.

Text in any script gives a valid file: DejaVu Sans and two CJK subsets are
embedded (see ``fonts/README.md``); a character none of them has prints as a
small box, and right-to-left runs are put in visual order (letters are not
joined: the PDF has no shaping engine).
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import cast

from fontTools.ttLib import TTFont

with warnings.catch_warnings():
    # fpdf2 warns at import when Pillow is missing (the browser build); the report embeds no raster image.
    warnings.filterwarnings("ignore", message="Pillow could not be imported", category=UserWarning)
    from fpdf import FPDF
    from fpdf.bidi import BidiParagraph, auto_detect_base_direction
    from fpdf.enums import Align, MethodReturnValue, TextDirection, XPos, YPos

from aftercare_app.domain.report import DayPoint, FollowUpReport, RedFlagEvent, SymptomCourse, utc_offset_label
from aftercare_app.domain.timeline import format_duration
from aftercare_app.domain.vocabulary import Area, Severity, TriageLevel
from aftercare_app.exports import ExportUnavailable

__all__ = ["FONT_FILES", "printable", "report_pdf"]

FONT_FILES = {
    ("text", ""): "DejaVuSans.ttf",
    ("text", "B"): "DejaVuSans-Bold.ttf",
    ("cjk", ""): "CJKFallback.ttf",
    ("hangul", ""): "HangulFallback.ttf",
}
FALLBACK_FAMILIES = ("cjk", "hangul")
PLACEHOLDER = "\u25a1"  # a white square: "a character that cannot be printed here"
MAX_EVENTS_IN_FULL = 8

# Grey levels (0 black, 255 white): the report must read the same printed in black and white.
INK = 0
MID = 110
LIGHT = 200
FAINT = 235

PAGE_MARGIN = 12.0
NOTE_KEY_WIDTH = 42.0  # fits "Day 90 · 2026-06-18 23:59" in bold 7.5 pt
LEVEL_WORDS = {
    TriageLevel.EMERGENCY: "!! EMERGENCY",
    TriageLevel.CALL_CLINIC: "! CALL CLINIC",
    TriageLevel.NORMAL: "normal",
}
SEVERITY_SHORT = {Severity.NONE: "none", Severity.MILD: "mild", Severity.MODERATE: "mod.", Severity.SEVERE: "severe"}


FONT_FOLDER = Path(__file__).resolve().parent / "fonts"


@cache
def _cmap(name: str) -> frozenset[int]:
    """The code points the font file ``name`` can draw."""
    with TTFont(_font_file(name), lazy=True) as font:  # lazy: the file stays open until closed
        return frozenset(font.getBestCmap())


def _coverage() -> frozenset[int]:
    """Every code point some embedded font can draw."""
    return frozenset().union(*(_cmap(name) for name in FONT_FILES.values()))


def _fallbacks_needed(texts: Sequence[str]) -> list[str]:
    """The fallback families some character of ``texts`` needs (loading a font costs time and bytes)."""
    base = _cmap(FONT_FILES[("text", "")])
    missing = {ord(ch) for text in texts for ch in text} - base
    return [family for family in FALLBACK_FAMILIES if missing & _cmap(FONT_FILES[(family, "")])]


@cache
def _font_folder() -> Path:
    """The fonts beside this module; in the offline build, which ships them with the PDF library to keep them out
    of every start, the ``aftercare_fonts`` package that archive holds."""
    if FONT_FOLDER.is_dir():
        return FONT_FOLDER
    try:
        import aftercare_fonts  # made by aftercare_app.site.archive
    except ImportError:
        raise ExportUnavailable(
            "The PDF report needs its fonts, downloaded once with the first PDF: connect to the internet and try again."
        ) from None
    return Path(aftercare_fonts.__file__).resolve().parent


def _font_file(name: str) -> Path:
    return _font_folder() / name


def _dropped(ch: str) -> bool:
    """Characters that only modify a neighbour (joiners, variation selectors, skin tones): leave them out."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Cf", "Cs", "Co", "Cn")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF
    )


def printable(text: str) -> str:
    """``text`` with what no embedded font can draw replaced by a box (never an error).

    An emoji sequence joined with zero-width joiners becomes a single box.
    """
    covered = _coverage()
    out: list[str] = []
    joining = False
    for ch in unicodedata.normalize("NFC", text):
        if ch == "\n":
            out.append(ch)
        elif ch == "\t":
            out.append("    ")
        elif unicodedata.category(ch) == "Cc":
            continue
        elif ch == "\u200d" and out and out[-1] == PLACEHOLDER:
            joining = True
            continue
        elif ord(ch) in covered:
            out.append(ch)
        elif _dropped(ch) or unicodedata.category(ch) == "Mn":
            continue
        elif not joining:
            out.append(PLACEHOLDER)
        joining = False
    return "".join(out)


def _free_text(report: FollowUpReport) -> list[str]:
    """Everything in the report that people typed: where characters beyond DejaVu can come from."""
    facts = report.facts
    return [facts.clinic_name, facts.clinic_phone, facts.notes, report.zone_name, *(n.text for n in report.notes)]


def _visual(line: str) -> tuple[str, bool]:
    """A line in visual order, and whether it reads right to left."""
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in line):
        return line, False
    base = auto_detect_base_direction(line)
    fragments = BidiParagraph(text=line, base_direction=base).get_bidi_fragments()
    parts = [text[::-1] if direction is TextDirection.RTL else text for text, direction in fragments]
    if base is TextDirection.RTL:
        parts.reverse()
    return "".join(parts), base is TextDirection.RTL


class _Document(FPDF):
    def __init__(self, report: FollowUpReport) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.set_auto_page_break(True, margin=14)
        self.add_font("text", "", _font_file(FONT_FILES[("text", "")]))
        self.add_font("text", "B", _font_file(FONT_FILES[("text", "B")]))
        fallbacks = _fallbacks_needed(_free_text(report))
        for family in fallbacks:
            self.add_font(family, "", _font_file(FONT_FILES[(family, "")]))
        if fallbacks:
            self.set_fallback_fonts(fallbacks, exact_match=False)
        self.set_title("Mesotherapy follow-up report")
        self.set_creator("Aftercare Companion")
        self.set_creation_date(report.generated_at)
        self.set_lang("en")

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def footer(self) -> None:
        self.set_y(-11)
        self.font(7, color=MID)
        facts = self.report.facts
        left = f"Mesotherapy follow-up report · treatment {facts.treated_at:%Y-%m-%d %H:%M} · made {self.report.generated_at:%Y-%m-%d %H:%M}"
        self.cell(self.width * 0.8, 4, left, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(self.width * 0.2, 4, f"page {self.page_no()} of {{nb}}", align=Align.R)

    # -- text primitives --------------------------------------------------------------------------

    def font(self, size: float, bold: bool = False, color: int = INK) -> None:
        self.set_font("text", "B" if bold else "", size)
        self.set_text_color(color)

    def heading(self, text: str, space_after: float = 1.5, keep_with: float = 22) -> None:
        """A section title, moved to a new page unless ``keep_with`` mm of what follows fit below it."""
        if self.will_page_break(keep_with):
            self.add_page()
        self.ln(2.5)
        self.font(11.5, bold=True)
        self.cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = self.get_y()
        self.set_draw_color(INK)
        self.set_line_width(0.3)
        self.line(self.l_margin, y, self.l_margin + self.width, y)
        self.ln(space_after)

    def paragraph(self, text: str, size: float = 9, bold: bool = False, indent: float = 0, color: int = INK, height: float = 4.3) -> None:
        """Wrapped text from the patient or the protocol, in any script."""
        self.font(size, bold, color)
        width = self.width - indent
        for source_line in printable(text).split("\n"):
            if not source_line.strip():
                self.ln(height * 0.6)
                continue
            # With output=LINES alone, fpdf2 returns the list of lines (its signature names every combination).
            lines = cast(list[str], self.multi_cell(width, height, source_line, dry_run=True, output=MethodReturnValue.LINES))
            for line in lines:
                shown, rtl = _visual(line)
                self.set_x(self.l_margin + indent)
                self.cell(width, height, shown, align=Align.R if rtl else Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def pairs(self, rows: Sequence[tuple[str, str]], key_width: float = 34) -> None:
        for key, value in rows:
            y = self.get_y()
            self.font(9, bold=True)
            self.cell(key_width, 4.6, key, new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.set_y(y)
            self.paragraph(value, indent=key_width, height=4.6)

    # -- sections ---------------------------------------------------------------------------------

    def title_block(self) -> None:
        report = self.report
        period = report.period
        self.font(16, bold=True)
        self.cell(0, 8, "Mesotherapy follow-up report", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.font(9, color=MID)
        entries = f"{period.entry_count} diary entr{'y' if period.entry_count == 1 else 'ies'}"
        covered = (
            f"Covers recovery day 1 to day {period.last_day + 1}: {period.start:%Y-%m-%d %H:%M} to "
            f"{period.end:%Y-%m-%d %H:%M} ({report.zone_name}); {entries}."
        )
        self.paragraph(covered, color=MID)
        self.paragraph(f"Made {report.generated_at:%Y-%m-%d %H:%M} from the patient's own records on their device.", color=MID)

    def session_block(self) -> None:
        facts = self.report.facts
        self.heading("Session")
        since = format_duration(self.report.generated_at - facts.treated_at)
        follow_up = "not set"
        if facts.follow_up is not None:
            delta = (facts.follow_up - self.report.generated_at.date()).days
            when = "today" if delta == 0 else (f"in {delta} days" if delta > 0 else f"{-delta} days ago")
            follow_up = f"{facts.follow_up:%Y-%m-%d} ({when})"
        clinic = " · ".join(x for x in (facts.clinic_name, facts.clinic_phone) if x) or "not recorded"
        rows = [
            ("Treatment", f"{facts.treated_at:%Y-%m-%d %H:%M} ({_zone_text(facts.treated_at, self.report.zone_name)})"),
            ("Area", "Scalp (hair)" if facts.area is Area.SCALP else "Face"),
            ("Skin", "Sensitive or reactive: longer waiting times apply" if facts.sensitive else "Not marked sensitive"),
            ("Recovery", f"Day {facts.day + 1} ({since} since the treatment)"),
            ("Course", f"Session {facts.session_number} of {facts.sessions_recorded} recorded"),
            ("Follow-up", follow_up),
            ("Clinic", clinic),
        ]
        self.pairs(rows)

    def red_flag_block(self) -> None:
        events = self.report.red_flags
        if not events:
            self.heading("Red-flag events: none")
            if self.report.has_entries:
                text = "Every diary entry was within what is expected for its day of recovery; no warning sign was logged."
            else:
                text = "No diary entries were recorded for this session."
            self.paragraph(text)
            return
        emergencies = sum(e.level is TriageLevel.EMERGENCY for e in events)
        self.heading(f"Red-flag events: {len(events)}" + (f", {emergencies} calling for emergency care" if emergencies else ""))
        for event in events[:MAX_EVENTS_IN_FULL]:
            self.event(event)
        rest = events[MAX_EVENTS_IN_FULL:]
        if rest:
            days = sorted({e.day + 1 for e in rest})
            self.paragraph(
                f"{len(rest)} more on day(s) {', '.join(map(str, days))}: same kinds of findings; each is listed in the CSV export.",
                color=MID,
            )

    def event(self, event: RedFlagEvent) -> None:
        if self.will_page_break(16):
            self.add_page()
        top, start_page = self.get_y(), self.page_no()
        self.font(9, bold=True)
        badge = LEVEL_WORDS[event.level]
        self.set_fill_color(INK if event.level is TriageLevel.EMERGENCY else FAINT)
        self.set_text_color(255 if event.level is TriageLevel.EMERGENCY else INK)
        self.set_draw_color(INK)
        self.set_line_width(0.3)
        self.cell(30, 4.8, badge, border=1, fill=True, align=Align.C, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.font(9, bold=True)
        self.cell(0, 4.8, f"  Day {event.day + 1} · {event.at:%Y-%m-%d %H:%M}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        logged = [s.label for s in event.signs] + [f"{s.label} {v.label} ({int(v)}/3)" for s, v in event.symptoms]
        indent = 4
        self.paragraph("Logged: " + ("; ".join(logged) or "nothing above none"), indent=indent)
        for reason in event.reasons:
            self.paragraph("• " + reason, indent=indent)
        self.paragraph("Advised: " + event.advised, bold=True, indent=indent)
        if event.note:
            self.paragraph("Note: " + event.note, indent=indent, color=MID)
        self.set_draw_color(LIGHT)
        self.set_line_width(0.2)
        if self.page_no() == start_page:
            self.line(self.l_margin + 1, top + 5.5, self.l_margin + 1, self.get_y())
        self.ln(1.5)

    def symptom_block(self) -> None:
        self.heading("Symptoms by day: highest severity logged each day", keep_with=45)
        self.font(7.5, color=MID)
        self.paragraph(
            "Bars: the day's highest severity (0 none, 1 mild, 2 moderate, 3 severe). Dashed line: the most that is "
            "expected that day. \"!\" marks a day above it. A stub on the axis: logged as none; nothing: no entry that day.",
            size=7.5,
            color=MID,
            height=3.6,
        )
        self.ln(1)
        gap = 6.0
        chart_w = (self.width - gap) / 2
        chart_h = 29.0
        courses = self.report.courses
        for row in range(0, len(courses), 2):
            if self.will_page_break(chart_h + 2):
                self.add_page()
            y = self.get_y()
            for col, course in enumerate(courses[row : row + 2]):
                self.chart(course, self.l_margin + col * (chart_w + gap), y, chart_w, chart_h)
            self.set_y(y + chart_h + 2)

    def chart(self, course: SymptomCourse, x: float, y: float, w: float, h: float) -> None:
        latest = course.latest
        summary = "not logged"
        if course.logged:
            peak_day = next(p.day for p in course.points if p.peak == course.peak)
            summary = f"peak {course.peak.label} (day {peak_day + 1})"
            if latest is not None:
                summary += f"; last {latest.peak.label if latest.peak is not None else '-'} (day {latest.day + 1})"
        elif latest is not None:
            summary = "none logged"
        self.set_xy(x, y)
        self.font(8.5, bold=True)
        self.cell(w, 4, course.label, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_xy(x, y)
        self.font(7.5, color=MID)
        self.cell(w, 4, summary, align=Align.R)

        label_w = 9.0
        plot_x, plot_y = x + label_w, y + 6.5
        plot_w, plot_h = w - label_w, h - 12.0
        step = plot_h / 3
        self.font(6, color=MID)
        self.set_line_width(0.1)
        for level in Severity:
            ly = plot_y + plot_h - level * step
            self.set_draw_color(LIGHT)
            if level:
                self.line(plot_x, ly, plot_x + plot_w, ly)
            self.set_xy(x, ly - 1.5)
            self.cell(label_w - 1, 3, SEVERITY_SHORT[level], align=Align.R)

        points = course.points
        n = max(1, len(points))
        slot = plot_w / n
        bar_w = max(0.35, slot * 0.72)
        base = plot_y + plot_h
        self.set_line_width(0.15)
        for i, point in enumerate(points):
            bx = plot_x + i * slot + (slot - bar_w) / 2
            if point.peak is None:
                continue
            # Logged as none: a stub on the axis, so "none" reads apart from "no entry".
            self._bar(bx, base, bar_w, point.peak * step if point.peak else 0.8, point)
            if point.above_expected:
                self.font(6.5, bold=True)
                self.set_xy(bx + bar_w / 2 - 2, base - point.peak * step - 3.2)
                self.cell(4, 3, "!", align=Align.C)

        # The most expected each day: a dashed step line, drawn in runs so the dashes stay visible.
        self.set_draw_color(INK)
        self.set_line_width(0.35)
        self.set_dash_pattern(dash=0.9, gap=0.7)
        start = 0
        for i, point in enumerate(points):
            last = i + 1 == len(points)
            if last or points[i + 1].expected_max != point.expected_max:
                ey = base - point.expected_max * step
                x1 = plot_x + (i + 1) * slot
                self.line(plot_x + start * slot, ey, x1, ey)
                if not last:
                    self.line(x1, ey, x1, base - points[i + 1].expected_max * step)
                start = i + 1
        self.set_dash_pattern()

        self.set_draw_color(INK)
        self.set_line_width(0.25)
        self.line(plot_x, base, plot_x + plot_w, base)
        self.line(plot_x, plot_y, plot_x, base)
        self.font(6, color=MID)
        for day in _day_ticks(n):
            cx = plot_x + day * slot + slot / 2
            self.set_xy(cx - 4, base + 1)
            self.cell(8, 2.6, str(day + 1), align=Align.C)
        self.set_xy(plot_x + plot_w - 12, base + 3.4)
        self.cell(12, 2.4, "day", align=Align.R)

    def _bar(self, x: float, base: float, width: float, height: float, point: DayPoint) -> None:
        # Within what is expected: mid grey. Above it: black (and the "!" above), so print in grey keeps the difference.
        self.set_fill_color(INK if point.above_expected else LIGHT - 40)
        self.set_draw_color(INK)
        self.rect(x, base - height, width, height, style="DF" if width > 0.8 else "F")

    def adherence_block(self) -> None:
        adherence = self.report.adherence
        days = adherence.days
        self.heading("Checklist adherence by day", keep_with=40)
        total = f"{adherence.done} of {adherence.due} tasks done ({adherence.ratio:.0%})" if adherence.due else "No tasks were due."
        low = [d.day + 1 for d in days if d.due and d.ratio < 0.5]
        if low:
            total += f". Under half done on day(s) {_ranges(low)}."
        self.paragraph(total)
        if not days:
            return
        chart_h = 22.0
        if self.will_page_break(chart_h + 6):
            self.add_page()
        x, y = self.l_margin + 9, self.get_y() + 1.5
        w, h = self.width - 9, chart_h - 7
        self.font(6, color=MID)
        self.set_line_width(0.1)
        for fraction in (0.0, 0.5, 1.0):
            ly = y + h - fraction * h
            self.set_draw_color(LIGHT)
            self.line(x, ly, x + w, ly)
            self.set_xy(self.l_margin, ly - 1.5)
            self.cell(8, 3, f"{fraction:.0%}", align=Align.R)
        n = len(days)
        slot = w / n
        bar_w = max(0.35, slot * 0.72)
        self.set_line_width(0.15)
        for i, day in enumerate(days):
            bx = x + i * slot + (slot - bar_w) / 2
            if day.done:
                self.set_fill_color(LIGHT - 40)
                self.set_draw_color(INK)
                self.rect(bx, y + h - day.ratio * h, bar_w, day.ratio * h, style="DF" if bar_w > 0.8 else "F")
            if n <= 16:
                self.set_xy(bx + bar_w / 2 - 4, y + h - day.ratio * h - 3)
                self.font(5.5, color=MID)
                self.cell(8, 2.6, f"{day.done}/{day.due}", align=Align.C)
        self.set_draw_color(INK)
        self.set_line_width(0.25)
        self.line(x, y + h, x + w, y + h)
        self.font(6, color=MID)
        for tick in _day_ticks(n):
            self.set_xy(x + tick * slot + slot / 2 - 4, y + h + 1)
            self.cell(8, 2.6, str(tick + 1), align=Align.C)
        self.set_xy(x + w - 12, y + h + 3.4)
        self.cell(12, 2.4, "day", align=Align.R)
        self.set_y(y + chart_h)

    def notes_block(self) -> None:
        notes = self.report.notes
        self.heading(f"Notes ({len(notes)})" if notes else "Notes: none")
        for note in notes:
            if self.will_page_break(5):
                self.add_page()
            where = "Session note" if note.entry_id is None else f"Day {note.day + 1} · {note.at:%Y-%m-%d %H:%M}"
            y = self.get_y()
            self.font(7.5, bold=True)
            self.cell(NOTE_KEY_WIDTH, 4.3, where, new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.set_y(y)
            self.paragraph(note.text, indent=NOTE_KEY_WIDTH)
            self.ln(0.6)

    def closing(self) -> None:
        self.ln(3)
        self.paragraph(self.report.disclaimer, size=7.5, color=MID, height=3.6)
        self.paragraph(f"Aftercare protocol version {self.report.protocol_version}.", size=7.5, color=MID, height=3.6)


def _day_ticks(n: int) -> list[int]:
    """0-based day indexes to label on an axis of ``n`` days: day 1, then every ``step`` days; about eight labels."""
    if n <= 8:
        return list(range(n))
    step = next((s for s in (2, 7, 14, 28, 56, 91, 182) if n / s <= 8), n // 8)
    if step == 2:
        return list(range(0, n, 2))
    return [0] + list(range(step - 1, n, step))


def _zone_text(instant: datetime, zone_name: str) -> str:
    offset = utc_offset_label(instant)
    return offset if zone_name in (offset, "", "UTC") else f"{offset}, {zone_name}"


def _ranges(days: Sequence[int]) -> str:
    """1, 2, 3, 5 -> '1-3, 5'."""
    parts = []
    start = prev = days[0]
    for day in [*days[1:], None]:
        if day is not None and day == prev + 1:
            prev = day
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if day is not None:
            start = prev = day
    return ", ".join(parts)


def report_pdf(report: FollowUpReport) -> bytes:
    """The report as PDF bytes."""
    doc = _Document(report)
    doc.add_page()
    doc.title_block()
    doc.session_block()
    doc.red_flag_block()
    doc.symptom_block()
    doc.adherence_block()
    doc.notes_block()
    doc.closing()
    return bytes(doc.output())

