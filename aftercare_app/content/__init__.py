"""The clinical content: the aftercare protocol with the source of every rule.

``protocol.json`` is the one definition the whole app reads. A clinic can adjust
timings in it; :func:`load_protocol` checks the file on load. A clinic's own build
(``pwa build --clinic FILE``) adds ``clinic.json`` beside it: :func:`bundled_clinic`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from aftercare_app.domain.clinic import Clinic, parse_clinic
from aftercare_app.domain.protocol import Protocol, parse_protocol

__all__ = ["bundled_clinic", "default_protocol", "load_protocol"]


def load_protocol(path: str | Path | None = None) -> Protocol:
    """Read and check a protocol file (the bundled one when ``path`` is None)."""
    if path is None:
        text = resources.files(__package__).joinpath("protocol.json").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return parse_protocol(json.loads(text))


@lru_cache(maxsize=1)
def default_protocol() -> Protocol:
    """The bundled protocol, loaded once."""
    return load_protocol()


@lru_cache(maxsize=1)
def bundled_clinic() -> Clinic | None:
    """The clinic this build was made for, or None (the generic app). Checked as the build checked it."""
    file = resources.files(__package__).joinpath("clinic.json")
    if not file.is_file():
        return None
    return parse_clinic(json.loads(file.read_text(encoding="utf-8")))
