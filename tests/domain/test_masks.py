"""The mask advisor judges labels as printed and follows the mask stages of the sources."""

from datetime import datetime, timedelta, timezone

import pytest

from aftercare_app.content import default_protocol
from aftercare_app.domain.masks import advise, identify, normalise, split_label
from aftercare_app.domain.timeline import Treatment
from aftercare_app.domain.vocabulary import SkinState

P = default_protocol()
T0 = datetime(2026, 5, 1, 10, tzinfo=timezone.utc)
T = Treatment(T0)


def at(hours):
    return T0 + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Sodium Hyaluronate", "hyaluronic_acid"),
        ("HYALURONIC ACID", "hyaluronic_acid"),
        ("Alcohol Denat.", "drying_alcohol"),
        ("Cetearyl Alcohol", "fatty_alcohols"),
        ("Parfum/Fragrance", "fragrance"),
        ("Aqua (Water)", "water"),
        ("L-Ascorbic Acid", "vitamin_c"),
        ("3-O-Ethyl Ascorbic Acid", "vitamin_c"),
        ("Glycolic  acid", "exfoliating_acids"),
        ("Salicylic Acid", "exfoliating_acids"),
        ("Ceramide NP", "ceramides"),
        ("Palmitoyl Tripeptide-1", "peptides"),
        ("Niacinamide 5%", "niacinamide"),
        ("Centella Asiatica Extract", "gotu_kola"),
        ("Camellia Sinensis Leaf Extract", "green_tea"),
        ("Kaolin", "clay"),
        ("Lavandula Angustifolia (Lavender) Oil", "essential_oils"),
        ("Rétinol", "retinoids"),
    ],
)
def test_ingredients_are_recognised_as_printed_on_labels(printed, expected):
    found = identify(P, printed)
    assert found is not None and found.id == expected


def test_an_unknown_ingredient_is_not_guessed():
    assert identify(P, "Xanthan Gum") is None
    assert identify(P, "Citric Acid") is None


def test_a_pasted_label_is_split_into_its_ingredients():
    label = "Ingredients: Aqua (Water), Glycerin; Niacinamide 5%\n• Parfum/Fragrance, Alcohol Denat.*"
    assert split_label(label) == ["Aqua (Water)", "Glycerin", "Niacinamide 5%", "Parfum/Fragrance", "Alcohol Denat"]


def test_normalising_ignores_case_accents_and_punctuation():
    assert normalise("  D-Panthénol ") == "d panthenol"


def test_no_mask_of_any_kind_in_the_first_24_hours():
    a = advise(P, T, at(5), ingredients=["Sodium Hyaluronate"])
    assert a.verdict == "wait"
    assert a.recommended == ()


def test_regular_masks_wait_but_gentle_soothing_ones_suit_days_two_and_three():
    a = advise(P, T, at(30))
    assert a.verdict == "wait"
    assert "Hyaluronic acid" in a.recommended and "Aloe vera" in a.recommended
    gentle = advise(P, T, at(30), ingredients=["Aqua", "Sodium Hyaluronate", "Aloe Barbadensis Leaf Juice"])
    assert gentle.verdict == "ok"


def test_dry_or_flaky_skin_is_pointed_to_hydrating_ingredients_first():
    a = advise(P, T, at(30), skin=SkinState.DRY)
    assert a.recommended[:3] == ("Hyaluronic acid", "Glycerin", "Ceramides")


def test_an_ingredient_to_avoid_makes_the_verdict_avoid_whatever_else_is_in_the_mask():
    for bad in ("Retinol", "Glycolic Acid", "Kaolin", "Parfum", "Alcohol Denat.", "Tea Tree Oil"):
        assert advise(P, T, at(100), ingredients=["Glycerin", bad]).verdict == "avoid", bad


def test_regular_masks_are_fine_from_day_four_for_normal_skin_but_not_for_sensitive_skin():
    assert advise(P, T, at(73)).verdict == "ok"
    assert advise(P, Treatment(T0, sensitive=True), at(73)).verdict == "wait"
    assert advise(P, Treatment(T0, sensitive=True), at(169)).verdict == "ok"


def test_restorative_ingredients_wait_until_day_seven():
    assert advise(P, T, at(100), ingredients=["Niacinamide"]).verdict == "wait"
    a = advise(P, T, at(170), ingredients=["Niacinamide", "Palmitoyl Tripeptide-1"])
    assert a.verdict == "ok"
    assert "Peptides" in a.recommended


def test_clay_and_exfoliating_masks_are_to_be_avoided_until_recovery_is_complete():
    assert advise(P, T, at(300), kind="clay").verdict == "avoid"
    assert advise(P, T, at(300), kind="exfoliating").verdict == "avoid"
    assert advise(P, T, at(24 * 29), kind="clay").verdict == "ok"


def test_every_avoid_or_wait_verdict_says_why():
    a = advise(P, T, at(30), ingredients=["Parfum", "Niacinamide"])
    assert any("Parfum" in r for r in a.reasons)
    assert any("Niacinamide" in r for r in a.reasons)


def test_unknown_ingredients_are_listed_not_judged():
    a = advise(P, T, at(100), ingredients=["Xanthan Gum", "Glycerin"])
    assert a.verdict == "ok"
    assert any("Xanthan Gum" in r for r in a.reasons)


def test_an_unknown_mask_kind_is_refused():
    with pytest.raises(ValueError, match="unknown mask kind"):
        advise(P, T, at(100), kind="mud")


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KNOWN_NAMES = sorted({name for i in P.ingredients for name in i.names}) + ["Xanthan Gum", "Citric Acid"]
RANK = {"ok": 0, "wait": 1, "avoid": 2}


@given(
    st.lists(st.sampled_from(KNOWN_NAMES), max_size=6),
    st.floats(0, 24 * 35),
    st.floats(0, 24 * 35),
    st.booleans(),
    st.sampled_from([None] + [k.id for k in P.mask_kinds]),
)
def test_a_mask_verdict_never_becomes_more_cautious_as_recovery_goes_on(names, h1, h2, sensitive, kind):
    t = Treatment(T0, sensitive=sensitive)
    early, late = sorted((h1, h2))
    before = advise(P, t, at(early), ingredients=names, kind=kind).verdict
    after = advise(P, t, at(late), ingredients=names, kind=kind).verdict
    assert RANK[after] <= RANK[before]


@given(st.text(max_size=200))
def test_any_pasted_text_is_judged_without_error(label):
    a = advise(P, T, at(100), ingredients=split_label(label))
    assert a.verdict in RANK
