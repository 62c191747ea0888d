"""The mask advisor judges labels as printed and follows the mask stages of the sources."""

from datetime import UTC, datetime, timedelta

import pytest

from aftercare_app.content import default_protocol
from aftercare_app.domain.masks import VERDICT_WORDS, VERDICTS, advise, identify, normalise, split_label
from aftercare_app.domain.timeline import Treatment
from aftercare_app.domain.vocabulary import SkinState

P = default_protocol()
T0 = datetime(2026, 5, 1, 10, tzinfo=UTC)
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
    assert identify(P, "Mystery Botanical Complex") is None
    assert identify(P, "Hydrolyzed Silk") is None


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


def test_an_unknown_ingredient_is_to_check_with_the_clinic_never_ok_before_recovery_is_complete():
    a = advise(P, T, at(100), ingredients=["Mystery Botanical Complex", "Glycerin"])
    assert a.verdict == "check"
    assert a.ask_clinic == ("Mystery Botanical Complex",)
    assert any("Ask your clinic" in r and "Mystery Botanical Complex" in r for r in a.reasons)
    unknown = next(v for v in a.ingredients if v.printed == "Mystery Botanical Complex")
    assert unknown.verdict == "check" and unknown.ingredient is None and not unknown.recognised
    after = advise(P, T, at(24 * 28), ingredients=["Mystery Botanical Complex", "Glycerin"])
    assert after.verdict == "ok" and after.ask_clinic == ()
    assert any("Mystery Botanical Complex" in r for r in after.reasons)


def test_an_unknown_mask_kind_is_refused():
    with pytest.raises(ValueError, match="unknown mask kind"):
        advise(P, T, at(100), kind="mud")


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KNOWN_NAMES = sorted({name for i in P.ingredients for name in i.names}) + ["Mystery Extract", "Hydrolyzed Silk"]
RANK = {"ok": 0, "check": 1, "wait": 2, "avoid": 3}


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


# --------------------------------------------------------------------------- failing closed

@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        # clay by family: any "... clay", bentonite, kaolin, rhassoul
        ("Bentonite Clay", "clay"),
        ("Kaolin Clay", "clay"),
        ("Rhassoul Clay", "clay"),
        ("Sodium Bentonite", "clay"),
        ("French Green Clay", "clay"),
        ("Moroccan Red Clay Powder", "clay"),
        ("Dead Sea Mud", "clay"),
        # essential oils by INCI plant name and by "... essential oil"
        ("Citrus Paradisi (Grapefruit) Peel Oil", "essential_oils"),
        ("Rosa Damascena Flower Oil", "essential_oils"),
        ("Lavender Essential Oil", "essential_oils"),
        ("Essential Oils (Lavender, Rosemary)", "essential_oils"),
        ("Melaleuca Alternifolia (Tea Tree) Leaf Oil", "essential_oils"),
        ("Cananga Odorata Flower Oil", "essential_oils"),
        ("Citrus Aurantium Dulcis (Orange) Peel Oil", "essential_oils"),
        # fragrance by family
        ("Natural Fragrance", "fragrance"),
        ("Fragrance Oil", "fragrance"),
        ("Parfum (Fragrance)", "fragrance"),
        ("d-Limonene", "fragrance"),
        # exfoliating acids by family
        ("AHAs", "exfoliating_acids"),
        ("Fruit Acids", "exfoliating_acids"),
        ("Capryloyl Salicylic Acid", "exfoliating_acids"),
        ("Sodium Salicylate", "exfoliating_acids"),
        # retinoids by family
        ("Retinyl Retinoate", "retinoids"),
        ("Vitamin A Palmitate", "retinoids"),
        ("Hydroxypinacolone Retinoate", "retinoids"),
        # vitamin C salts and esters
        ("Sodium Ascorbate", "vitamin_c"),
        ("Aminopropyl Ascorbyl Phosphate", "vitamin_c"),
        ("Tetrahexyldecyl Ascorbate", "vitamin_c"),
        # drying alcohol
        ("SD Alcohol 39-C", "drying_alcohol"),
        ("Denatured Ethanol", "drying_alcohol"),
        ("Alcohol Denat.", "drying_alcohol"),
        # enzymes, beads, harsh preservatives
        ("Papaya Enzyme", "enzymes"),
        ("Exfoliating Beads", "scrub_particles"),
        ("Jojoba Esters Beads", "scrub_particles"),
        ("Methylchloroisothiazolinone", "harsh_preservatives"),
        ("Methylisothiazolinone", "harsh_preservatives"),
        ("DMDM Hydantoin", "harsh_preservatives"),
        ("Imidazolidinyl Urea", "harsh_preservatives"),
        # decided from the seeds: charcoal like clay, peel-off films, menthol/camphor like essential oils, witch hazel to check
        ("Activated Charcoal", "charcoal"),
        ("Bamboo Charcoal Powder", "charcoal"),
        ("Polyvinyl Alcohol", "peel_off_film"),
        ("Menthol", "cooling_agents"),
        ("Camphor", "cooling_agents"),
        ("Menthyl Lactate", "cooling_agents"),
        ("Hamamelis Virginiana (Witch Hazel) Water", "witch_hazel"),
        # neutral ingredients real labels are full of
        ("Xanthan Gum", "thickeners"),
        ("Butylene Glycol", "humectants"),
        ("Phenoxyethanol", "preservatives"),
        ("Carbomer", "thickeners"),
        ("Allantoin", "soothing_agents"),
        ("Tocopherol", "soothing_agents"),
        ("1,2-Hexanediol", "humectants"),
        ("Citric Acid", "ph_adjusters"),
        ("Rosa Canina (Rosehip) Fruit Oil", "emollients"),
        ("Caprylic/Capric Triglyceride", "emollients"),
        # not fooled by families: these are not what their words suggest
        ("Hydrolyzed Sodium Hyaluronate", "hyaluronic_acid"),
        ("Benzyl Salicylate", "fragrance"),
        ("Cetearyl Alcohol", "fatty_alcohols"),
        ("Allantoin", "soothing_agents"),
    ],
)
def test_families_are_recognised_by_their_words(printed, expected):
    found = identify(P, printed)
    assert found is not None and found.id == expected, (printed, found and found.id)


def test_a_bentonite_clay_mask_is_not_fine_on_day_two():
    # The review's example: judged a fine "hydrating mask" on day 2.
    label = "Water, Bentonite Clay, Aloe Barbadensis Leaf Juice, Glycerin"
    a = advise(P, T, at(30), ingredients=split_label(label))
    assert a.verdict == "avoid"
    assert any("Bentonite Clay" in r for r in a.reasons)


def test_an_unrecognised_ingredient_makes_the_product_a_regular_mask_not_a_gentle_one():
    gentle = ["Water", "Sodium Hyaluronate", "Aloe Barbadensis Leaf Juice"]
    assert advise(P, T, at(30), ingredients=gentle).asked_kind.kind.id == "hydrating"
    a = advise(P, T, at(30), ingredients=[*gentle, "Mystery Extract"])
    assert a.asked_kind.kind.id == "regular"
    assert a.verdict == "wait"  # a regular mask waits for day 4; the unknown is also listed to ask about
    assert a.ask_clinic == ("Mystery Extract",)
    sensitive = advise(P, Treatment(T0, sensitive=True), at(100), ingredients=[*gentle, "Mystery Extract"])
    assert sensitive.verdict == "wait"
    # Sold as a gentle sheet mask, it is still judged by what is in it.
    sold_as_gentle = advise(P, T, at(30), ingredients=[*gentle, "Mystery Extract"], kind="soothing_sheet")
    assert sold_as_gentle.asked_kind.kind.id == "regular" and sold_as_gentle.verdict == "wait"
    assert advise(P, T, at(30), ingredients=gentle, kind="soothing_sheet").verdict == "ok"


def test_a_label_of_known_gentle_and_neutral_ingredients_is_fine_from_day_two():
    label = "Water, Butylene Glycol, Glycerin, Sodium Hyaluronate, Centella Asiatica Extract, Allantoin, Carbomer, Xanthan Gum, Phenoxyethanol, Ethylhexylglycerin, 1,2-Hexanediol"
    a = advise(P, T, at(30), ingredients=split_label(label))
    assert [v.printed for v in a.ingredients if not v.recognised] == []
    assert a.verdict == "ok" and a.asked_kind.kind.id == "hydrating"


def test_check_names_what_to_ask_the_clinic_about():
    a = advise(P, T, at(100), ingredients=["Glycerin", "Hamamelis Virginiana (Witch Hazel) Water"])
    assert a.verdict == "check"
    assert a.ask_clinic == ("Hamamelis Virginiana (Witch Hazel) Water",)
    witch = a.ingredients[1]
    assert witch.verdict == "check" and "alcohol" in witch.reason and "clinic" in witch.reason
    assert advise(P, T, at(24 * 28), ingredients=["Hamamelis Virginiana Water"]).verdict == "ok"


def test_charcoal_peel_off_films_and_menthol_are_avoided_until_recovery_is_complete():
    for bad in ("Activated Charcoal", "Polyvinyl Alcohol", "Menthol", "Camphor"):
        assert advise(P, T, at(24 * 10), ingredients=["Glycerin", bad]).verdict == "avoid", bad
        assert advise(P, T, at(24 * 28), ingredients=["Glycerin", bad]).verdict == "ok", bad
    assert advise(P, T, at(24 * 10), kind="peel_off").verdict == "avoid"
    assert "charcoal" in P.mask_kind("clay").name.lower()


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (
            "Active Ingredient: Zinc Oxide 10%. Inactive Ingredients: Water, Glycerin, Xanthan Gum.",
            ["Zinc Oxide 10%", "Water", "Glycerin", "Xanthan Gum"],
        ),
        ("Contains: Aloe Vera, Sodium Hyaluronate", ["Aloe Vera", "Sodium Hyaluronate"]),
        ("Key ingredients: Hyaluronic Acid, Panthenol", ["Hyaluronic Acid", "Panthenol"]),
        ("Glycerin (and) Water (and) Sodium Hyaluronate", ["Glycerin", "Water", "Sodium Hyaluronate"]),
        ("Water. Glycerin. Aloe Barbadensis Leaf Juice.", ["Water", "Glycerin", "Aloe Barbadensis Leaf Juice"]),
        ("Aqua, Essential Oils (Lavender, Rosemary), Glycerin", ["Aqua", "Essential Oils (Lavender, Rosemary)", "Glycerin"]),
        ("Water, 1,2-Hexanediol, Sodium Hyaluronate 0.5%", ["Water", "1,2-Hexanediol", "Sodium Hyaluronate 0.5%"]),
        (
            "Ingredients: Aqua, Glycerin*, Tocopherol. *Certified organic. Free from: parabens, alcohol, fragrance",
            ["Aqua", "Glycerin", "Tocopherol"],
        ),
        ("Aqua, Glycerin, Fragrance-Free, Alcohol-free", ["Aqua", "Glycerin"]),
        ("Ingredients: Aqua, Glycerin. Directions: apply to clean skin, leave for 15 minutes.", ["Aqua", "Glycerin"]),
        ("Aqua (Water, Glycerin, Parfum", ["Aqua (Water", "Glycerin", "Parfum"]),  # a bracket never closed loses nothing
    ],
)
def test_labels_are_read_as_printed(label, expected):
    assert split_label(label) == expected


def test_a_free_from_list_does_not_count_as_ingredients():
    a = advise(P, T, at(30), ingredients=split_label("Ingredients: Aqua, Sodium Hyaluronate. Free of: fragrance, alcohol, parabens."))
    assert a.verdict == "ok"


def test_every_printed_name_is_normalised_and_belongs_to_one_ingredient():
    names = [n for i in P.ingredients for n in i.names]
    assert len(names) == len(set(names))
    assert all(normalise(n) == n for n in names)


@given(
    st.lists(st.sampled_from(KNOWN_NAMES), max_size=6),
    st.floats(0, 24 * 35),
    st.booleans(),
    st.sampled_from([None] + [k.id for k in P.mask_kinds]),
)
def test_the_verdict_is_the_most_cautious_of_the_kind_and_every_ingredient(names, hours, sensitive, kind):
    t = Treatment(T0, sensitive=sensitive)
    a = advise(P, t, at(hours), ingredients=names, kind=kind)
    parts = [a.asked_kind.verdict, *(v.verdict for v in a.ingredients)]
    assert a.verdict == max(parts, key=RANK.__getitem__)
    assert a.verdict in VERDICTS and set(VERDICT_WORDS) == set(VERDICTS)
    assert set(a.ask_clinic) == {v.printed for v in a.ingredients if v.verdict == "check"}


@given(st.lists(st.sampled_from(KNOWN_NAMES), max_size=6), st.floats(0, 24 * 28 - 0.01), st.booleans())
def test_a_label_with_an_unrecognised_ingredient_is_never_plain_ok_before_recovery_is_complete(names, hours, sensitive):
    t = Treatment(T0, sensitive=sensitive)
    a = advise(P, t, at(hours), ingredients=[*names, "Mystery Extract"])
    assert a.verdict != "ok"
    assert a.asked_kind.kind.id not in ("soothing_sheet", "hydrating")
    assert "Mystery Extract" in a.ask_clinic or a.verdict in ("avoid", "wait")
