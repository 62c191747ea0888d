"""The clinic file of a clinic's build: what it may hold, and each refusal naming the key at fault."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftercare_app.content import default_protocol
from aftercare_app.domain.clinic import Clinic, ClinicFileError, name_the_number, parse_clinic

GOOD = {"name": "Clinique du Parc", "phone": "+33 1 23 45 67 89", "after_hours_phone": "+33 6 12 34 56 78",
        "emergency_number": "15", "follow_up_days": 21}


def test_a_whole_file_reads_as_the_clinic_and_back():
    clinic = parse_clinic(GOOD)
    assert clinic == Clinic("Clinique du Parc", "+33 1 23 45 67 89", "15", "+33 6 12 34 56 78", 21)
    assert parse_clinic(json.loads(json.dumps(clinic.as_json()))) == clinic


def test_the_optional_keys_default():
    clinic = parse_clinic({"name": " Dr Smith ", "phone": "020 7946 0000", "emergency_number": "999"})
    assert (clinic.name, clinic.after_hours_phone, clinic.follow_up_days) == ("Dr Smith", "", 14)


BAD = {
    "a list": ([GOOD], ""),
    "no name": ({k: v for k, v in GOOD.items() if k != "name"}, "name"),
    "no phone": ({k: v for k, v in GOOD.items() if k != "phone"}, "phone"),
    "no emergency number": ({k: v for k, v in GOOD.items() if k != "emergency_number"}, "emergency_number"),
    "an unknown key": ({**GOOD, "logo": "x.png"}, "logo"),
    "an empty name": ({**GOOD, "name": "  "}, "name"),
    "a name of 201 characters": ({**GOOD, "name": "x" * 201}, "name"),
    "a name with a control character": ({**GOOD, "name": "Clinic\x07"}, "name"),
    "a name that is a number": ({**GOOD, "name": 42}, "name"),
    "a phone with letters": ({**GOOD, "phone": "+33 1 CALL NOW"}, "phone"),
    "a phone of foreign digits": ({**GOOD, "phone": "٠١٢٣٤٥٦"}, "phone"),
    "an empty phone": ({**GOOD, "phone": ""}, "phone"),
    "an after-hours phone with letters": ({**GOOD, "after_hours_phone": "ask reception"}, "after_hours_phone"),
    "an emergency number with letters": ({**GOOD, "emergency_number": "SOS"}, "emergency_number"),
    "an emergency number of one digit": ({**GOOD, "emergency_number": "1"}, "emergency_number"),
    "an emergency number as a JSON number": ({**GOOD, "emergency_number": 112}, "emergency_number"),
    "0 follow-up days": ({**GOOD, "follow_up_days": 0}, "follow_up_days"),
    "91 follow-up days": ({**GOOD, "follow_up_days": 91}, "follow_up_days"),
    "follow-up days as text": ({**GOOD, "follow_up_days": "14"}, "follow_up_days"),
    "follow-up days as a fraction": ({**GOOD, "follow_up_days": 14.5}, "follow_up_days"),
    "follow-up days as true": ({**GOOD, "follow_up_days": True}, "follow_up_days"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_is_refused_in_one_line_naming_the_key(case):
    document, key = BAD[case]
    with pytest.raises(ClinicFileError) as refused:
        parse_clinic(document)
    assert refused.value.key == key
    message = str(refused.value)
    assert "\n" not in message and (f'"{key}"' in message if key else True)


@given(st.dictionaries(st.sampled_from([*GOOD, "other"]), st.one_of(st.text(max_size=50), st.integers(), st.none())))
def test_any_document_is_a_clinic_or_one_refusal(document):
    try:
        clinic = parse_clinic(document)
    except ClinicFileError as refused:
        assert refused.key in (*GOOD, "other", "")
        assert "\n" not in str(refused)
    else:
        assert clinic.name and clinic.phone and clinic.emergency_number.isdigit()
        assert 1 <= clinic.follow_up_days <= 90


def test_every_emergency_advice_of_the_protocol_names_the_clinics_number():
    protocol = default_protocol()
    rules = [*protocol.sign_rules, *protocol.combinations, *protocol.symptom_rules]
    texts = [getattr(rule, name, "") for rule in rules for name in ("reason", "severe_reason")]
    advice = [protocol.disclaimer, *(text for text in texts if "emergency" in text.lower())]
    assert len(advice) >= 4
    for text in advice:
        named = name_the_number(text, "15")
        assert "call 15" in named.lower() and "emergency services" not in named, text
        assert name_the_number(text, "") == text
