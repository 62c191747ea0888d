"""Fixtures for the offline web app: a build cached for the session, a local server, and Chromium driven by
Playwright with every request to another host blocked and counted."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aftercare_app.site import PROJECT_ROOT
from aftercare_app.site.build import BuildResult, build_site
from aftercare_app.site.server import serving
from tests.browser.conftest import CHROMIUM as BROWSER_CHROMIUM
from tests.browser.conftest import CHROMIUM_ARGS
from tests.pwa.phone import phone_options

FIXTURES = Path(__file__).parent / "fixtures"
BUILD_ROOT = PROJECT_ROOT / "build" / "test-pwa"
CHROMIUM = Path(BROWSER_CHROMIUM)
APP_TIMEOUT_MS = 120_000


def build_probe(out: Path, marker: str = "build-one", **options: object) -> BuildResult:
    """Build the probe app (tests/pwa/fixtures/probe_app.py) with the given build marker."""
    source_dir = out.parent / f"{out.name}-src"
    shutil.rmtree(source_dir, ignore_errors=True)
    source_dir.mkdir(parents=True)
    text = (FIXTURES / "probe_app.py").read_text(encoding="utf-8")
    (source_dir / "probe_app.py").write_text(text.replace('"build-one"', f'"{marker}"'), encoding="utf-8")
    return build_site(out, app="probe_app:main", sources=[source_dir / "probe_app.py"], brotli_quality=5, **options)


@pytest.fixture(scope="session")
def probe_build() -> BuildResult:
    return build_probe(BUILD_ROOT / "probe-one")


@pytest.fixture(scope="session")
def stock_probe_build() -> BuildResult:
    """The probe app as flet-web's own worker runs it (the benchmarks' baseline)."""
    return build_probe(BUILD_ROOT / "probe-stock", stock=True)


@pytest.fixture(scope="session")
def app_build() -> BuildResult:
    """The real app, built as ``pwa build`` builds it."""
    return build_site(BUILD_ROOT / "app", brotli_quality=5)


@dataclass
class Site:
    """A served folder whose content a test may swap for another build, keeping the same origin."""

    root: Path
    url: str

    def publish(self, build: BuildResult) -> None:
        for child in self.root.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(build.out_dir, self.root, dirs_exist_ok=True)


@pytest.fixture
def site(probe_build: BuildResult, tmp_path: Path) -> Iterator[Site]:
    root = tmp_path / "site"
    shutil.copytree(probe_build.out_dir, root)
    with serving(root) as url:
        yield Site(root, url)


@dataclass
class OffOrigin:
    """Requests that tried to leave the site's origin (all aborted)."""

    origin: str
    urls: list[str] = field(default_factory=list)

    def handle(self, route) -> None:
        url = route.request.url
        if url.startswith((self.origin, "data:", "blob:")):
            route.continue_()
        else:
            self.urls.append(url)
            route.abort()


@pytest.fixture(scope="package")  # see tests/browser/conftest.py: a live Playwright must not outlive its package
def playwright_session():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@dataclass
class Browser:
    """Launches Chromium as a phone (tests/pwa/phone.py: phone screen, touch, ``is_mobile``, an Android user agent;
    the CPU at full speed) with a persistent profile; relaunching with the same profile is a browser restart."""

    playwright: object
    profile: Path
    origin: str
    off_origin: OffOrigin
    timezone_id: str = "Europe/Paris"
    context: object | None = None
    # Console messages about a blocked request and failed same-origin responses (the Rive runtime, which the
    # build deliberately leaves out, is the one expected 404).
    problems: list[str] = field(default_factory=list)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(message.text)

    def _on_response(self, response) -> None:
        if response.status >= 400 and "rive-runtime-not-bundled" not in response.url:
            self.problems.append(f"{response.status} {response.url}")

    def launch(self):  # -> playwright BrowserContext
        self.close()
        self.context = self.playwright.chromium.launch_persistent_context(  # type: ignore[attr-defined]
            str(self.profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            timezone_id=self.timezone_id,
            **phone_options(),
        )
        self.context.route("**/*", self.off_origin.handle)
        self.context.on("console", self._on_console)
        self.context.on("response", self._on_response)
        return self.context

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = None


@pytest.fixture
def browser(playwright_session, site: Site, tmp_path: Path) -> Iterator[Browser]:
    b = Browser(playwright_session, tmp_path / "profile", site.url.rstrip("/"), OffOrigin(site.url.rstrip("/")))
    yield b
    b.close()
