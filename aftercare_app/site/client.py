"""The web side of the site: the prebuilt Flet web client trimmed to what the app uses, its bootstrap and font
manifest, the page's templates filled in, and the web manifest."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from aftercare_app.site import BuildError

__all__ = [
    "CLIENT_FILES",
    "RIVE_CDN",
    "RIVE_LOCAL",
    "TEMPLATES",
    "Branding",
    "fill",
    "flutter_bootstrap",
    "font_manifest",
    "web_client",
    "web_manifest",
]

TEMPLATES = Path(__file__).resolve().parent / "web"


@dataclass(frozen=True)
class Branding:
    name: str = "Aftercare Companion"
    short_name: str = "Aftercare"
    description: str = ("Recovery companion after mesotherapy: countdown, daily checklist, symptom diary and "
                        "follow-up summary. Works offline; your data stays on this phone.")
    theme_color: str = "#0F766E"
    background_color: str = "#F0FDFA"
    opening: str = "Opening your recovery plan…"  # what the start screen says while the app starts

# Web-client files kept from ``flet_web/web`` (everything else - the dart2wasm/skwasm build, the other CanvasKit
# variants, debug symbols, source maps, micropip, Pyodide's command-line launchers, KaTeX fonts and the scripts of
# media/recording/wakelock plug-ins - is never loaded by this app).
CLIENT_FILES = (
    "main.dart.js",
    "canvaskit/canvaskit.js",
    "canvaskit/canvaskit.wasm",
    "pyodide/pyodide.mjs",
    "pyodide/pyodide.asm.mjs",
    "pyodide/pyodide.asm.wasm",
    "pyodide/pyodide-lock.json",
    "assets/AssetManifest.bin",
    "assets/AssetManifest.bin.json",
    "assets/NOTICES",
    "assets/fonts/MaterialIcons-Regular.otf",
    "assets/fonts/roboto.woff2",
    "assets/shaders/ink_sparkle.frag",
    "assets/shaders/stretch_effect.frag",
)
#: flet-web's own Python worker and what it needs (the stock layout): the standard library as sources, and the
#: Cupertino icon font its font manifest lists.
STOCK_FILES = (
    "python.js",
    "python-worker.js",
    "pyodide/python_stdlib.zip",
    "assets/packages/cupertino_icons/assets/CupertinoIcons.ttf",
)
#: The smaller CanvasKit that Chromium browsers can run (the client picks it there with ``canvasKitVariant: auto``).
CHROMIUM_CANVASKIT = ("canvaskit/chromium/canvaskit.js", "canvaskit/chromium/canvaskit.wasm")
FULL_CANVASKIT = ("canvaskit/canvaskit.js", "canvaskit/canvaskit.wasm")
#: The site's own worker (templates of this package), in place of flet-web's.
OWN_WORKER = ("python.js", "python-worker.js")
_FONT_FAMILIES_KEPT = ("MaterialIcons", "packages/cupertino_icons/CupertinoIcons")
_FONT_FAMILIES_DRAWN = ("MaterialIcons",)  # the app draws no Cupertino icon

# The client loads the Rive animation runtime from a CDN at start-up (a <script> whose "load" it awaits, and which
# only Rive controls use). Point it at this site instead: the file is not shipped, the request stays on the origin
# and fails quietly, exactly as when the CDN is unreachable.
RIVE_CDN = "https://cdn.jsdelivr.net/npm/@rive-app/flutter-native-wasm@44.0.0/"

RIVE_LOCAL = "rive-runtime-not-bundled/"

# The client's own start-up screen (a spinner and "Working...", compiled into the client as its defaults): under the
# site's own start screen nobody sees it, yet its spinner keeps the page's main thread drawing frames while the app
# starts, and assistive tech hears a second status. The site's client starts with an empty one.
CLIENT_STARTUP_SCREEN = '[30,"Working..."]'
EMPTY_STARTUP_SCREEN = '[0,""]'


def web_client(main_js: str, *, own_start_screen: bool) -> str:
    """flet-web's compiled client as the site ships it: the Rive runtime looked for on this site, and, under the
    site's own start screen, no start-up screen of the client's."""
    if RIVE_CDN not in main_js:
        raise BuildError("the web client's Rive runtime URL changed: check for new off-origin requests")
    main_js = main_js.replace(RIVE_CDN, RIVE_LOCAL)
    if own_start_screen:
        if main_js.count(CLIENT_STARTUP_SCREEN) != 1:
            raise BuildError("the web client's start-up screen defaults changed: unsupported flet-web version")
        main_js = main_js.replace(CLIENT_STARTUP_SCREEN, EMPTY_STARTUP_SCREEN)
    return main_js


def flutter_bootstrap(web: Path) -> str:
    loader = (web / "flutter.js").read_text(encoding="utf-8")
    loader = re.sub(r"^//# sourceMappingURL=.*$", "", loader, flags=re.MULTILINE)
    # The loader's default CanvasKit location is a CDN; the configuration overrides it, and this makes sure.
    loader = loader.replace('"https://www.gstatic.com/flutter-canvaskit"', '"canvaskit"')
    upstream = (web / "flutter_bootstrap.js").read_text(encoding="utf-8")
    match = re.search(r'"engineRevision":"([0-9a-f]+)"', upstream)
    if not match:
        raise BuildError("flet-web's flutter_bootstrap.js has no engine revision: unsupported flet-web version")
    build_config = {
        "engineRevision": match.group(1),
        "useLocalCanvasKit": True,
        "builds": [{"compileTarget": "dart2js", "renderer": "canvaskit", "mainJsPath": "main.dart.js"}],
    }
    tail = (TEMPLATES / "bootstrap-tail.js").read_text(encoding="utf-8")
    return loader + tail.replace("__BUILD_CONFIG__", json.dumps(build_config))

def font_manifest(web: Path, *, stock: bool = False) -> str:
    manifest = json.loads((web / "assets/FontManifest.json").read_text(encoding="utf-8"))
    families = _FONT_FAMILIES_KEPT if stock else _FONT_FAMILIES_DRAWN
    kept = [entry for entry in manifest if entry["family"] in families]
    kept.append({"family": "Roboto", "fonts": [{"asset": "fonts/roboto.woff2"}]})
    return json.dumps(kept)

def web_manifest(branding: Branding) -> str:
    icon = lambda name, size, purpose: {"src": f"icons/{name}", "sizes": f"{size}x{size}",  # noqa: E731
                                        "type": "image/png", "purpose": purpose}
    return json.dumps({
        "id": "./",
        "name": branding.name,
        "short_name": branding.short_name,
        "description": branding.description,
        "lang": "en",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": branding.background_color,
        "theme_color": branding.theme_color,
        "categories": ["health", "medical", "lifestyle"],
        "prefer_related_applications": False,
        "icons": [
            icon("icon-192.png", 192, "any"),
            icon("icon-512.png", 512, "any"),
            icon("icon-maskable-192.png", 192, "maskable"),
            icon("icon-maskable-512.png", 512, "maskable"),
        ],
    }, indent=2)

def fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace(f"__{key}__", value)
    leftover = re.search(r"__[A-Z_]+__", template)
    if leftover:
        raise BuildError(f"template placeholder {leftover.group(0)} left unfilled")
    return template

# The app's start screen, drawn by the page from its first frame until the app's first screen is there. Touches
# pass through it (the client below may already take them); the pulse is a compositor animation (opacity and
# transform), which leaves the main thread to the app's start.
LOADING_CSS = """#loading {
  position: fixed; inset: 0; z-index: 10; display: flex; flex-direction: column; align-items: center;
  justify-content: center; gap: 12px; background: __BACKGROUND_COLOR__; color: __THEME_COLOR__;
  font: 600 20px system-ui, sans-serif; pointer-events: none; transition: opacity 150ms ease-out;
}
#loading img { width: 96px; height: 96px; margin-bottom: 8px; animation: loading-pulse 1.6s ease-in-out infinite; }
#loading .doing { font-weight: 400; font-size: 16px; opacity: 0.85; }
#loading.done { opacity: 0; }
@keyframes loading-pulse { 50% { opacity: 0.55; transform: scale(0.94); } }
@media (prefers-reduced-motion: reduce) { #loading img { animation: none; } #loading { transition: none; } }
@media (prefers-color-scheme: dark) { #loading { background: #0B1F1D; color: #CCFBF1; } }
"""
