"""The fixed names the whole app, its storage and its command line share."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Area(StrEnum):
    """Where the mesotherapy was done."""

    FACE = "face"
    SCALP = "scalp"


class RestrictionId(StrEnum):
    """Restriction windows, counted from the hour of treatment."""

    TOUCH_FACE = "touch_face"
    WASH_FACE = "wash_face"
    MAKEUP = "makeup"
    SUN_EXPOSURE = "sun_exposure"
    EXERCISE = "exercise"
    HEAT = "heat"
    ALCOHOL = "alcohol"
    REGULAR_MASKS = "regular_masks"
    ACTIVE_SKINCARE = "active_skincare"
    AGGRESSIVE_TREATMENTS = "aggressive_treatments"
    IRRITATING_PRODUCTS = "irritating_products"


class Symptom(StrEnum):
    """Symptoms the diary records, each on the 0-3 :class:`Severity` scale."""

    REDNESS = "redness"
    SWELLING = "swelling"
    BRUISING = "bruising"
    PAIN = "pain"
    ITCHING = "itching"
    DRYNESS = "dryness"

    @property
    def label(self) -> str:
        return _SYMPTOM_LABELS[self]


_SYMPTOM_LABELS = {
    Symptom.REDNESS: "Redness",
    Symptom.SWELLING: "Swelling",
    Symptom.BRUISING: "Bruising",
    Symptom.PAIN: "Pain or tenderness",
    Symptom.ITCHING: "Itching",
    Symptom.DRYNESS: "Dryness or flaking",
}


class Severity(IntEnum):
    """How strong a symptom is; always shown with its word, not only the number."""

    NONE = 0
    MILD = 1
    MODERATE = 2
    SEVERE = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class WarningSign(StrEnum):
    """Signs that are never a normal part of recovery."""

    SPREADING_REDNESS = "spreading_redness"
    PUS = "pus"
    FEVER = "fever"
    RASH = "rash"
    TROUBLE_BREATHING = "trouble_breathing"
    THROAT_SWELLING = "throat_swelling"
    LUMP = "lump"
    SKIN_COLOUR_CHANGE = "skin_colour_change"

    @property
    def label(self) -> str:
        return _SIGN_LABELS[self]


_SIGN_LABELS = {
    WarningSign.SPREADING_REDNESS: "Spreading redness",
    WarningSign.PUS: "Pus",
    WarningSign.FEVER: "Fever",
    WarningSign.RASH: "Sudden rash",
    WarningSign.TROUBLE_BREATHING: "Trouble breathing",
    WarningSign.THROAT_SWELLING: "Swelling of the lips, tongue or throat",
    WarningSign.LUMP: "A lump or hard nodule under the skin",
    WarningSign.SKIN_COLOUR_CHANGE: "Darker or lighter patches of skin",
}


class TriageLevel(IntEnum):
    """What a diary entry calls for, ordered so that ``max`` picks the most urgent."""

    NORMAL = 0
    CALL_CLINIC = 1
    EMERGENCY = 2

    @property
    def code(self) -> str:
        return self.name.lower()


class SkinState(StrEnum):
    """How the skin feels today, for the mask advisor."""

    NORMAL = "normal"
    DRY = "dry"
