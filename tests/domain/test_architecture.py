"""The domain stays pure: standard library and dateutil only (GUIDE section 3, principle 1)."""

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "aftercare_app"
ALLOWED_THIRD_PARTY = {"dateutil"}


def imported_roots(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_domain_modules_import_only_the_standard_library_dateutil_and_the_domain():
    for path in (PACKAGE / "domain").glob("*.py"):
        for name in imported_roots(path):
            root = name.split(".")[0]
            if name.startswith("aftercare_app."):
                assert name.startswith("aftercare_app.domain"), f"{path.name} imports {name}"
            else:
                assert root in sys.stdlib_module_names or root in ALLOWED_THIRD_PARTY, f"{path.name} imports {name}"


def test_no_module_is_named_utils_or_helpers():
    names = {p.stem for p in PACKAGE.rglob("*.py")}
    assert not names & {"utils", "helpers", "misc", "common"}
