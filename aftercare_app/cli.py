"""Command-line front to the same use cases the app uses.

Each command group lives in ``aftercare_app/commands/<group>.py`` and exposes
``register(subparsers)``; a command's handler takes the parsed arguments and
returns the process exit code. Bad input raises :class:`UsageError`, which is
printed as one line on stderr with exit code 2 (never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

from aftercare_app.commands import UsageError
from aftercare_app.storage.files import default_data_dir

# Command groups, in the order they appear in ``--help``. A group whose module
# is missing is skipped, so the core commands work on their own.
COMMAND_GROUPS = ("recovery", "records", "report", "pwa")
DESCRIPTION = "Command-line front to the same use cases the app uses."


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m aftercare_app", description=DESCRIPTION)
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for group in COMMAND_GROUPS:
        try:
            module = importlib.import_module(f"aftercare_app.commands.{group}")
        except ModuleNotFoundError as exc:
            if exc.name != f"aftercare_app.commands.{group}":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run one command; ``environ`` (default: the process's) only settles the data folder of ``--data-dir``."""
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "data_dir", None) is None:
            args.data_dir = default_data_dir(os.environ if environ is None else environ)
        return int(args.handler(args))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. ``| head``): not an error of ours; keep Python from complaining at exit.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 141
