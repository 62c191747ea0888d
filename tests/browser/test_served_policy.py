"""The served app under its strict policy: no inline script but the page's own (allowed by hash), no eval, and
the client still runs through onboarding, every screen, a download and a reload."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    TIMEZONE,
    download,
    enable_semantics,
    onboard,
    open_app,
    screenshot,
    tab,
    wait_screen,
    wait_text,
)

pytestmark = pytest.mark.browser

# The prebuilt client asks jsDelivr for this runtime at start-up; the policy blocks it before the network.
RIVE_RUNTIME = "https://cdn.jsdelivr.net/npm/@rive-app/"

# Registered before any script of the page runs: every report of the policy, as the page itself sees it.
REPORTER = """
window.__cspViolations = [];
window.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push({
  directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
  sample: e.sample,
}), true);
"""


def script_sources(policy: str) -> list[str]:
    for part in policy.split(";"):
        tokens = part.split()
        if tokens and tokens[0] == "script-src":
            return tokens[1:]
    raise AssertionError(f"no script-src in {policy!r}")


def unexpected(violations: list[dict]) -> list[dict]:
    """Every report but the blocked Rive runtime script."""
    return [
        v for v in violations
        if not (v["blocked"].startswith(RIVE_RUNTIME) and v["directive"] in ("script-src-elem", "script-src"))
    ]


def test_the_served_app_runs_with_no_inline_script_or_eval_allowed(fresh_phone, fresh_app, tmp_path):
    page = fresh_phone.page
    policies: list[str] = []
    console: list[str] = []
    errors: list[str] = []
    page.on("response", lambda r: policies.append(r.headers.get("content-security-policy", ""))
            if r.request.resource_type == "document" else None)
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(REPORTER)

    open_app(page, fresh_app.url)
    assert len(policies) == 1
    scripts = script_sources(policies[0])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, policies[0]
    assert scripts[:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert len([s for s in scripts if s.startswith("'sha256-")]) >= 4, "the page's own inline scripts, by hash"
    # The inline scripts ran: Flet's configuration, and the timezone probe the Python side reads.
    assert page.evaluate("() => [flet.noCdn, flet.webSocketEndpoint, flet.webRenderer]") == [True, "/ws", "canvaskit"]
    assert page.evaluate("() => localStorage.getItem('flutter.aftercare.device_timezone')") == f'"{TIMEZONE}"'
    wait_text(page, f"timezone: {TIMEZONE}")

    onboard(page)
    for name in ("Checklist", "Diary", "Masks", "Follow-up"):
        tab(page, name)
    assert b'"aftercare-companion-export"' in download(page, "Backup (JSON)", tmp_path).read_bytes()
    tab(page, "Today")
    violations = page.evaluate("() => window.__cspViolations")

    # A reload gets the whole page again, with the same hashes (never a 304 the policy could not see).
    page.reload()
    enable_semantics(page)
    wait_screen(page, "today")
    assert len(policies) == 2 and policies[1] == policies[0]
    page.get_by_role("button", name="Settings").click()
    wait_screen(page, "settings")
    screenshot(page, "policy-settings")
    violations += page.evaluate("() => window.__cspViolations")

    assert unexpected(violations) == []
    assert [v["blocked"] for v in violations] and all(v["blocked"].startswith(RIVE_RUNTIME) for v in violations)
    assert all(RIVE_RUNTIME in text for text in console), console
    assert errors == []
    assert fresh_phone.reached_network_off_origin == []
    assert all(fresh_phone.failures[u] == "csp" for u in fresh_phone.off_origin), fresh_phone.failures
