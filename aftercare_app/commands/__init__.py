"""Command groups of the command line (see :mod:`aftercare_app.cli`)."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input on the command line: shown as one line on stderr, exit code 2."""
