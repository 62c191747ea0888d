"""The command line contract of status, mask and triage (other tools depend on it exactly)."""

import json
import subprocess
import sys

import pytest

from aftercare_app.cli import main
from aftercare_app.domain.vocabulary import RestrictionId

TREATED = "2026-05-01T10:00:00+02:00"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_status_json_has_every_key_and_every_restriction(capsys):
    data = run_json(capsys, "status", "--treated", TREATED, "--at", "2026-05-02T18:40:00+02:00")
    assert data["hours_since"] == pytest.approx(32 + 40 / 60)
    assert data["day"] == 1
    assert data["phase"] == "early_recovery"
    assert {r["id"] for r in data["restrictions"]} == {r.value for r in RestrictionId}
    for r in data["restrictions"]:
        assert set(r) >= {"id", "allowed", "allowed_from", "remaining_hours", "reason", "sources"}
        assert r["sources"] and all(s.endswith(".txt") for s in r["sources"])
        assert (r["remaining_hours"] == 0) == r["allowed"]
    makeup = next(r for r in data["restrictions"] if r["id"] == "makeup")
    assert makeup["remaining_hours"] == pytest.approx(15 + 20 / 60)
    assert makeup["allowed_from"] == "2026-05-03T10:00:00+02:00"
    assert data["checklist"] and all(set(t) >= {"id", "text", "sources"} for t in data["checklist"])


def test_status_says_what_still_holds_once_a_restriction_is_allowed(capsys):
    data = run_json(capsys, "status", "--treated", TREATED, "--at", "2026-05-10T10:00:00+02:00")
    by_id = {r["id"]: r for r in data["restrictions"]}
    sun = by_id["sun_exposure"]
    assert sun["allowed"] is True and "SPF" in sun["condition"] and "hat" in sun["condition"]
    assert sun["condition_until"] == "2026-05-29T10:00:00+02:00"
    assert by_id["exercise"]["condition"] is None and by_id["exercise"]["condition_until"] is None
    assert by_id["active_skincare"]["allowed"] is True and by_id["aggressive_treatments"]["allowed"] is False
    assert "retinoid" in by_id["aggressive_treatments"]["title"].lower()
    reminded = {r for t in data["checklist"] for r in t["restrictions"]}
    assert {r["id"] for r in data["restrictions"] if not r["allowed"]} <= reminded
    _, out, _ = run(capsys, "status", "--treated", TREATED, "--at", "2026-05-10T10:00:00+02:00")
    assert "Allowed, with care:" in out and "Direct sun: Allowed only with broad-spectrum SPF 30+ and a hat" in out
    assert "Now allowed:" in out and "Direct sun" not in out.split("Now allowed:")[1].splitlines()[0]


def test_touching_is_off_until_72_hours(capsys):
    at48 = run_json(capsys, "status", "--treated", TREATED, "--at", "2026-05-03T10:00:00+02:00")
    touch = next(r for r in at48["restrictions"] if r["id"] == "touch_face")
    assert touch["allowed"] is False and touch["allowed_from"] == "2026-05-04T10:00:00+02:00"


def test_status_day_is_floor_of_hours_over_24(capsys):
    for at, day in [("2026-05-01T10:00:00+02:00", 0), ("2026-05-02T09:59:00+02:00", 0), ("2026-05-02T10:00:00+02:00", 1), ("2026-05-09T12:00:00+02:00", 8)]:
        assert run_json(capsys, "status", "--treated", TREATED, "--at", at)["day"] == day


def test_sensitive_skin_lengthens_the_washing_window(capsys):
    at = "2026-05-01T23:00:00+02:00"
    plain = run_json(capsys, "status", "--treated", TREATED, "--at", at)
    sensitive = run_json(capsys, "status", "--treated", TREATED, "--at", at, "--sensitive")
    wash = lambda d: next(r for r in d["restrictions"] if r["id"] == "wash_face")  # noqa: E731
    assert wash(plain)["allowed"] is True
    assert wash(sensitive)["allowed"] is False
    assert wash(sensitive)["remaining_hours"] == pytest.approx(11)


def test_scalp_area_is_accepted_and_waits_24_hours_to_wash(capsys):
    data = run_json(capsys, "status", "--treated", TREATED, "--at", "2026-05-01T23:00:00+02:00", "--area", "scalp")
    wash = next(r for r in data["restrictions"] if r["id"] == "wash_face")
    assert "scalp" in wash["title"].lower()
    assert wash["allowed"] is False and wash["allowed_from"] == "2026-05-02T10:00:00+02:00"


def test_mask_json_contract(capsys):
    data = run_json(capsys, "mask", "--treated", TREATED, "--at", "2026-05-02T18:00:00+02:00", "--skin", "dry", "--ingredients", "Aqua, Retinol, Sodium Hyaluronate")
    assert data["verdict"] == "avoid"
    assert any("Retinol" in r for r in data["reasons"])
    assert data["recommended"][0] == "Hyaluronic acid"
    ok = run_json(capsys, "mask", "--treated", TREATED, "--at", "2026-05-05T12:00:00+02:00")
    assert ok["verdict"] == "ok"
    wait = run_json(capsys, "mask", "--treated", TREATED, "--at", "2026-05-01T12:00:00+02:00")
    assert wait["verdict"] == "wait"


def test_mask_json_fails_closed_and_names_what_to_ask_the_clinic(capsys):
    at = "2026-05-05T12:00:00+02:00"
    data = run_json(capsys, "mask", "--treated", TREATED, "--at", at, "--ingredients", "Ingredients: Aqua, Glycerin, Mystery Extract")
    assert data["verdict"] == "check"
    assert data["ask_clinic"] == ["Mystery Extract"]
    unknown = next(i for i in data["ingredients"] if i["name"] == "Mystery Extract")
    assert unknown["verdict"] == "check" and unknown["recognised_as"] is None and unknown["sources"] == []
    assert {"verdict", "reasons", "recommended", "stage", "ingredients", "kinds", "ask_clinic"} <= set(data)
    clay = run_json(capsys, "mask", "--treated", TREATED, "--at", "2026-05-02T18:00:00+02:00", "--ingredients",
                    "Water, Bentonite Clay, Aloe Barbadensis Leaf Juice, Glycerin")
    assert clay["verdict"] == "avoid"
    assert next(i for i in clay["ingredients"] if i["name"] == "Bentonite Clay")["recognised_as"] == "clay"
    assert {k["id"] for k in clay["kinds"]} >= {"peel_off", "clay", "regular"}
    code, out, _ = run(capsys, "mask", "--treated", TREATED, "--at", at, "--ingredients", "Aqua, Mystery Extract")
    assert code == 0 and out.startswith("Verdict: CHECK (ask your clinic first)")


def test_triage_json_contract(capsys):
    at = "2026-05-02T18:00:00+02:00"
    normal = run_json(capsys, "triage", "--treated", TREATED, "--at", at, "--symptom", "redness=1")
    assert normal == {**normal, "level": "normal"} and normal["reasons"]
    clinic = run_json(capsys, "triage", "--treated", TREATED, "--at", at, "--symptom", "redness=1", "--sign", "pus")
    assert clinic["level"] == "call_clinic"
    emergency = run_json(capsys, "triage", "--treated", TREATED, "--at", at, "--sign", "trouble_breathing", "--sign", "rash")
    assert emergency["level"] == "emergency"


@pytest.mark.parametrize(("sign", "level"), [("lump", "call_clinic"), ("skin_colour_change", "call_clinic"), ("throat_swelling", "emergency")])
def test_triage_accepts_the_new_warning_signs(capsys, sign, level):
    data = run_json(capsys, "triage", "--treated", TREATED, "--at", "2026-05-03T18:00:00+02:00", "--sign", sign)
    assert data["level"] == level and data["reasons"]
    assert "004_bc1fa98035bf3385.txt" in data["sources"]


def test_triage_itching_with_swelling_calls_the_clinic_and_moderate_swelling_on_day_one_says_when_to_call(capsys):
    at = "2026-05-01T13:00:00+02:00"
    allergic = run_json(capsys, "triage", "--treated", TREATED, "--at", at, "--symptom", "itching=1", "--symptom", "swelling=1")
    assert allergic["level"] == "call_clinic" and "allergic" in allergic["reasons"][0]
    watch = run_json(capsys, "triage", "--treated", TREATED, "--at", at, "--symptom", "swelling=2")
    assert watch["level"] == "normal"
    assert any("2026-05-02 10:00" in r and "call your clinic" in r for r in watch["reasons"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status", "--treated", "yesterday", "--at", TREATED], "ISO 8601"),
        (["status", "--treated", TREATED, "--at", "2026-04-30T10:00:00+02:00"], "before"),
        (["status", "--treated", "2026-05-01T10:00:00", "--at", TREATED], "offset"),
        (["triage", "--treated", TREATED, "--at", TREATED, "--symptom", "redness=4"], "0, 1, 2 or 3"),
        (["triage", "--treated", TREATED, "--at", TREATED, "--symptom", "redness=-1"], "0, 1, 2 or 3"),
        (["triage", "--treated", TREATED, "--at", TREATED, "--symptom", "nosebleed=1"], "unknown symptom"),
        (["triage", "--treated", TREATED, "--at", TREATED, "--sign", "headache"], "unknown warning sign"),
        (["mask", "--treated", TREATED, "--at", TREATED, "--kind", "mud"], "unknown mask kind"),
        (["status", "--treated", TREATED], "--at"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line_and_no_traceback(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code != 0
    assert out == ""
    assert err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_readable_summaries_without_json(capsys):
    code, out, _ = run(capsys, "status", "--treated", TREATED, "--at", "2026-05-02T18:40:00+02:00")
    assert code == 0 and "Day 2 of recovery" in out and "Makeup: allowed in 15 h 20 min" in out
    code, out, _ = run(capsys, "triage", "--treated", TREATED, "--at", "2026-05-02T18:40:00+02:00", "--sign", "fever")
    assert code == 0 and "Call the clinic" in out


def test_the_module_runs_as_a_program_and_fails_cleanly():
    ok = subprocess.run([sys.executable, "-m", "aftercare_app", "status", "--treated", TREATED, "--at", TREATED, "--json"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and json.loads(ok.stdout)["day"] == 0
    bad = subprocess.run([sys.executable, "-m", "aftercare_app", "triage", "--treated", "x", "--at", TREATED], capture_output=True, text=True, check=False)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and bad.stderr.startswith("error:")


def test_scalp_status_carries_the_scalp_notes_with_sources(capsys):
    data = run_json(capsys, "status", "--treated", TREATED, "--at", TREATED, "--area", "scalp")
    assert data["area_notes"] and all(n["sources"] for n in data["area_notes"])
    assert run_json(capsys, "status", "--treated", TREATED, "--at", TREATED)["area_notes"] == []


def test_rules_lists_every_rule_with_its_bound_sources_and_quotes(capsys):
    data = run_json(capsys, "rules")
    rules = {row["rule"]: row for row in data["rules"]}
    assert rules["restriction makeup"]["bound"] == "48 h"
    assert rules["restriction wash_face"]["bound"] == "12 h (sensitive skin 24 h)"
    assert rules["restriction wash_face"]["scalp_bound"] == "24 h"
    assert rules["restriction sun_exposure"]["condition"].endswith("(until 28 days)")
    assert rules["restriction exercise"]["condition"] is None
    assert any(r.startswith("information pregnancy") for r in rules)
    for row in data["rules"]:
        if row["rule"].startswith("ingredient") and row["bound"] == "neutral":
            assert row["citations"] == [] and "Not from the sources" in row["note"]
            continue
        assert row["sources"] and row["citations"], row["rule"]
        assert [c["source"] for c in row["citations"]] and all(c["quote"] for c in row["citations"])
        assert row["sources"] == list(dict.fromkeys(c["source"] for c in row["citations"]))
    makeup_quotes = [c["quote"] for c in rules["restriction makeup"]["citations"]]
    assert "Clinics often recommend waiting 48 hours for optimal safety." in makeup_quotes
    code, out, _ = run(capsys, "rules")
    assert code == 0 and out.startswith("| rule | bound | sources | note | quotes |")
    assert '001: "Clinics often recommend waiting 48 hours for optimal safety."' in out
    assert all(line.count(" | ") == 4 for line in out.splitlines() if line.startswith("| "))


def test_mask_refuses_a_label_longer_than_any_ingredient_list_rather_than_judge_part_of_it(capsys):
    code, out, err = run(capsys, "mask", "--treated", "2026-05-01T10:00:00+02:00", "--at", "2026-05-30T10:00:00+02:00",
                         "--ingredients", "Aqua, " * 16_000, "--json")
    assert code == 2 and out == ""
    assert "16000 items" in err and "\n" not in err.strip()
