"""Triage: what is normal for the day, when to call the clinic, when to seek emergency care."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from aftercare_app.content import default_protocol
from aftercare_app.domain.records import DiaryEntry
from aftercare_app.domain.timeline import Treatment
from aftercare_app.domain.triage import assess, persistence
from aftercare_app.domain.vocabulary import Severity, Symptom, TriageLevel, WarningSign

P = default_protocol()
T0 = datetime(2026, 5, 1, 10, tzinfo=UTC)
T = Treatment(T0)


def at_day(day, hour=2):
    return T0 + timedelta(days=day, hours=hour)


def entry(day, hour=2, signs=(), **symptoms):
    return DiaryEntry(id=f"e{day}-{hour}", session_id="s", at=at_day(day, hour), symptoms=symptoms, signs=frozenset(signs))


def at_hour(hours):
    return T0 + timedelta(hours=hours)


def logged(hours, **symptoms):
    return DiaryEntry(id=f"h{hours}", session_id="s", at=at_hour(hours), symptoms=symptoms)


def test_mild_redness_and_swelling_on_day_one_are_normal_and_say_so():
    r = assess(P, T, at_day(0), {Symptom.REDNESS: Severity.MILD, Symptom.SWELLING: Severity.MILD})
    assert r.level is TriageLevel.NORMAL
    assert r.findings == ()
    assert any("expected" in reason for reason in r.reasons)
    assert any(line.startswith("Redness:") for line in r.expected)


def test_small_bruises_can_last_for_days():
    r = assess(P, T, at_day(9), {Symptom.BRUISING: Severity.MODERATE})
    assert r.level is TriageLevel.NORMAL


def test_moderate_swelling_on_day_five_is_more_than_expected():
    r = assess(P, T, at_day(4), {Symptom.SWELLING: Severity.MODERATE})
    assert r.level is TriageLevel.CALL_CLINIC
    assert "more than expected" in r.reasons[0]


def test_severe_pain_calls_the_clinic_even_on_day_one():
    r = assess(P, T, at_day(0), {Symptom.PAIN: Severity.SEVERE})
    assert r.level is TriageLevel.CALL_CLINIC


def test_each_infection_sign_calls_the_clinic():
    for sign in (WarningSign.SPREADING_REDNESS, WarningSign.PUS, WarningSign.FEVER, WarningSign.RASH):
        assert assess(P, T, at_day(2), {}, [sign]).level is TriageLevel.CALL_CLINIC


def test_trouble_breathing_is_an_emergency_and_comes_first():
    r = assess(P, T, at_day(1), {Symptom.SWELLING: Severity.SEVERE}, [WarningSign.RASH, WarningSign.TROUBLE_BREATHING])
    assert r.level is TriageLevel.EMERGENCY
    assert r.findings[0].level is TriageLevel.EMERGENCY
    assert "emergency" in r.reasons[0].lower()


def test_swelling_that_stays_three_days_without_improving_calls_the_clinic():
    history = [entry(0, swelling=1), entry(1, swelling=1), entry(2, swelling=1)]
    r = assess(P, T, at_day(3), {Symptom.SWELLING: Severity.MILD}, history=history)
    assert r.level is TriageLevel.CALL_CLINIC
    assert any("Swelling has stayed for 3 days without improving" in reason for reason in r.reasons)


def test_the_history_rule_counts_elapsed_time_not_day_numbers():
    # The review's case: two mild entries 26 h apart, the second at 49 h, span recovery days 0-2
    # but not three days; mild swelling is expected then (001).
    r = assess(P, T, at_hour(49), {Symptom.SWELLING: Severity.MILD}, history=[logged(23, swelling=1)])
    assert r.level is TriageLevel.NORMAL
    assert not any("3 days" in reason for reason in r.reasons)
    # Daily entries at the same hour: the rule speaks once 72 real hours have passed, not at the third day's entry.
    daily = [logged(2, swelling=1), logged(26, swelling=1), logged(50, swelling=1)]
    assert assess(P, T, at_hour(50), {Symptom.SWELLING: Severity.MILD}, history=daily[:2]).level is TriageLevel.NORMAL
    r = assess(P, T, at_hour(74), {Symptom.SWELLING: Severity.MILD}, history=daily)
    assert r.level is TriageLevel.CALL_CLINIC and any("3 days" in reason for reason in r.reasons)


def test_swelling_that_is_improving_is_not_flagged():
    history = [entry(0, swelling=2), entry(1, swelling=1), entry(2, swelling=1)]
    r = assess(P, T, at_day(3), {Symptom.SWELLING: Severity.MILD}, history=history)
    assert r.level is TriageLevel.NORMAL


def test_the_latest_entry_of_a_day_counts_not_the_days_peak():
    # Moderate in the morning of day 0, mild by the evening: three days later it is still mild. That is
    # a plateau at mild since the evening, not an improvement from moderate.
    history = [logged(1, redness=2), logged(10, redness=1), logged(40, redness=1), logged(70, redness=1)]
    r = assess(P, T, at_hour(82), {Symptom.REDNESS: Severity.MILD}, history=history)
    assert r.level is TriageLevel.CALL_CLINIC
    # And a day whose last entry says none breaks the run, whatever came earlier that day.
    broken = [logged(1, redness=1), logged(30, redness=1), logged(40, redness=0), logged(60, redness=1)]
    assert assess(P, T, at_hour(82), {Symptom.REDNESS: Severity.MILD}, history=broken).level is TriageLevel.NORMAL


def test_a_plateau_and_a_worsening_over_days_are_both_caught():
    plateau = [logged(2, swelling=1), logged(40, swelling=1)]
    assert "stayed" in " ".join(assess(P, T, at_hour(80), {Symptom.SWELLING: 1}, history=plateau).reasons)
    worse = assess(P, T, at_hour(80), {Symptom.SWELLING: 2}, history=plateau)
    assert worse.level is TriageLevel.CALL_CLINIC
    # Within the first day a change is not yet "over days".
    assert persistence([(at_hour(1), Severity.MILD), (at_hour(20), Severity.MODERATE)], P.history_rule) is None
    assert persistence([(at_hour(1), Severity.MILD), (at_hour(26), Severity.MODERATE)], P.history_rule) == ("worse", 25.0)


def test_a_day_without_swelling_breaks_the_run():
    history = [entry(0, swelling=1), entry(1, swelling=0), entry(2, swelling=1)]
    r = assess(P, T, at_day(3), {Symptom.SWELLING: Severity.MILD}, history=history)
    assert r.level is TriageLevel.NORMAL


def test_a_day_without_entries_does_not_break_the_run():
    r = assess(P, T, at_hour(80), {Symptom.SWELLING: Severity.MILD}, history=[logged(3, swelling=1)])
    assert r.level is TriageLevel.CALL_CLINIC


def test_later_entries_do_not_count_as_history_of_an_earlier_one():
    history = [entry(0, redness=1), entry(1, redness=1), entry(5, redness=1)]
    r = assess(P, T, at_day(1, hour=3), {Symptom.REDNESS: Severity.MILD}, history=history)
    assert r.level is TriageLevel.NORMAL


def test_itching_with_swelling_or_a_rash_is_an_allergic_sign_never_normal():
    r = assess(P, T, at_day(0), {Symptom.ITCHING: Severity.MILD, Symptom.SWELLING: Severity.MILD})
    assert r.level is TriageLevel.CALL_CLINIC
    assert "allergic" in r.reasons[0] and "emergency" in r.reasons[0]
    assert "003_e1b791a31c2e5ae2.txt" in r.findings[0].sources
    with_rash = assess(P, T, at_day(2), {Symptom.ITCHING: Severity.MILD}, [WarningSign.RASH])
    assert any("allergic" in f.reason and "Itching" in f.reason for f in with_rash.findings)
    assert assess(P, T, at_day(0), {Symptom.ITCHING: Severity.MILD}).level is TriageLevel.NORMAL
    assert assess(P, T, at_day(0), {Symptom.SWELLING: Severity.MILD}).level is TriageLevel.NORMAL


def test_the_new_warning_signs_call_the_clinic_or_emergency_care():
    assert assess(P, T, at_day(10), {}, [WarningSign.LUMP]).level is TriageLevel.CALL_CLINIC
    assert assess(P, T, at_day(10), {}, [WarningSign.SKIN_COLOUR_CHANGE]).level is TriageLevel.CALL_CLINIC
    throat = assess(P, T, at_day(0), {}, [WarningSign.THROAT_SWELLING])
    assert throat.level is TriageLevel.EMERGENCY and "emergency" in throat.reasons[0]
    assert WarningSign("lump").label == "A lump or hard nodule under the skin"
    assert WarningSign("throat_swelling").label == "Swelling of the lips, tongue or throat"
    assert WarningSign("skin_colour_change").label == "Darker or lighter patches of skin"
    assert P.sign_rule(WarningSign.LUMP).sources == ("004_bc1fa98035bf3385.txt",)
    assert "004_bc1fa98035bf3385.txt" in P.sign_rule(WarningSign.SKIN_COLOUR_CHANGE).sources


def test_moderate_redness_or_swelling_on_the_first_day_says_when_to_call_if_it_does_not_settle():
    r = assess(P, T, at_hour(3), {Symptom.SWELLING: Severity.MODERATE, Symptom.REDNESS: Severity.MILD})
    assert r.level is TriageLevel.NORMAL and r.findings == ()
    assert len(r.watch) == 1 and r.watch[0].startswith("Swelling: moderate.")
    assert "2026-05-02 10:00" in r.watch[0] and "24 h after treatment" in r.watch[0] and "call your clinic" in r.watch[0]
    assert any("call your clinic" in reason for reason in r.reasons)
    assert assess(P, T, at_hour(3), {Symptom.SWELLING: Severity.MILD}).watch == ()
    # A day later the same is more than expected: the band itself calls the clinic.
    assert assess(P, T, at_hour(30), {Symptom.SWELLING: Severity.MODERATE}).level is TriageLevel.CALL_CLINIC


severities = st.sampled_from(list(Severity))
symptom_maps = st.dictionaries(st.sampled_from(list(Symptom)), severities)
sign_sets = st.sets(st.sampled_from(list(WarningSign)))


@given(st.integers(0, 60), symptom_maps, sign_sets, sign_sets)
def test_adding_a_warning_sign_never_lowers_the_level(day, symptoms, signs, more):
    base = assess(P, T, at_day(day), symptoms, signs).level
    assert assess(P, T, at_day(day), symptoms, signs | more).level >= base


@given(st.integers(0, 60), symptom_maps, st.sampled_from(list(Symptom)))
def test_a_stronger_symptom_never_lowers_the_level(day, symptoms, symptom):
    weaker = assess(P, T, at_day(day), symptoms).level
    stronger = dict(symptoms)
    stronger[symptom] = Severity(min(3, stronger.get(symptom, 0) + 1))
    assert assess(P, T, at_day(day), stronger).level >= weaker


EMERGENCY_SIGNS = {WarningSign.TROUBLE_BREATHING, WarningSign.THROAT_SWELLING}


@given(st.integers(0, 60), symptom_maps, sign_sets)
def test_the_level_is_emergency_exactly_when_breathing_is_troubled_or_the_throat_swells(day, symptoms, signs):
    r = assess(P, T, at_day(day), symptoms, signs)
    assert (r.level is TriageLevel.EMERGENCY) == bool(signs & EMERGENCY_SIGNS)
    assert (r.level is TriageLevel.NORMAL) == (not r.findings)


@given(st.integers(0, 60), symptom_maps, sign_sets)
def test_itching_with_swelling_is_never_normal(day, symptoms, signs):
    if symptoms.get(Symptom.ITCHING, 0) and (symptoms.get(Symptom.SWELLING, 0) or WarningSign.RASH in signs):
        assert assess(P, T, at_day(day), symptoms, signs).level >= TriageLevel.CALL_CLINIC


@given(st.integers(0, 60), symptom_maps)
def test_nothing_at_all_is_always_normal(day, symptoms):
    quiet = dict.fromkeys(symptoms, Severity.NONE)
    assert assess(P, T, at_day(day), quiet).level is TriageLevel.NORMAL


readings = st.lists(st.tuples(st.floats(0, 30, allow_nan=False), severities), min_size=1, max_size=12)


def timeline(steps):
    at, out = T0, []
    for gap, severity in steps:
        at += timedelta(hours=gap)
        out.append((at, severity))
    return out


@given(readings)
def test_what_stayed_has_been_logged_above_none_for_the_whole_stretch_and_is_not_lower_than_it_was(steps):
    series = timeline(steps)
    found = persistence(series, P.history_rule)
    if found is None:
        return
    kind, hours = found
    now, current = series[-1]
    since = now - timedelta(hours=hours)
    # Readings logged at one instant keep their order: the stretch starts at one of those at ``since``.
    starts = [i for i, (at, _) in enumerate(series) if at == since]
    assert current > Severity.NONE and any(all(s > Severity.NONE for _, s in series[i:]) for i in starts)
    if kind == "stayed":
        assert hours >= P.history_rule.min_hours
        assert current >= [s for at, s in series if at <= now - timedelta(hours=P.history_rule.min_hours)][-1]
    else:
        assert hours >= 24 and current > [s for at, s in series if at <= since][-1]


@given(readings)
def test_nothing_is_said_to_have_stayed_for_longer_than_the_entries_show(steps):
    series = timeline(steps)
    found = persistence(series, P.history_rule)
    if found is not None:
        assert found[1] <= (series[-1][0] - series[0][0]).total_seconds() / 3600 + 1e-6  # instants keep microseconds


from aftercare_app.domain.report import assess_entries  # noqa: E402

diary_steps = st.lists(st.tuples(st.integers(0, 40), severities, severities, st.booleans()), max_size=25)


@given(diary_steps)
def test_assess_entries_gives_each_entry_the_triage_it_has_with_every_entry_before_it(steps):
    # steps: (hours to the next entry, swelling, redness, itching): entries hours apart, several a day, days skipped.
    at, entries = T0, []
    for n, (gap, swelling, redness, itching) in enumerate(steps):
        at += timedelta(hours=gap, minutes=7)
        symptoms = {Symptom.SWELLING: swelling, Symptom.REDNESS: redness, Symptom.ITCHING: int(itching)}
        entries.append(DiaryEntry(f"e{n}", "s", at, symptoms))
    assessed = assess_entries(P, T, entries)
    assert [a.entry for a in assessed] == entries
    assert [a.triage for a in assessed] == [assess(P, T, e.at, e.symptoms, e.signs, entries[:i]) for i, e in enumerate(entries)]
