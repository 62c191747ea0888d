"""The installable, offline web app as a static site, built from installed packages only (no network, no Flutter
SDK): :func:`aftercare_app.site.build.build_site`. Nothing in this package ships to the phone.

- :mod:`.archive`: the app's Python code and its pure-Python dependencies, as archives the browser's Python loads;
- :mod:`.client`: the prebuilt Flet web client (Flutter, CanvasKit, Pyodide) trimmed to what the app uses, the page,
  its configuration and the web manifest;
- :mod:`.fonts`: fallback fonts for glyphs the bundled fonts lack, under the paths the engine asks for;
- :mod:`.compress`: ``.gz`` and ``.br`` siblings, as a static host serves them;
- :mod:`.server`: a local static server with the right types and policy; :mod:`.artwork`: the icons.

Facts about Flet 1.0.5's web client that the build relies on
------------------------------------------------------------
* ``flet_web/web`` holds two Flutter builds (dart2js + CanvasKit, dart2wasm + skwasm), four CanvasKit variants and
  a Pyodide 314 (Python 3.14) runtime. The build keeps dart2js + the "full" CanvasKit (works in every browser),
  and drops skwasm/wimp, the chromium and experimental variants, symbols, source maps, micropip and KaTeX fonts.
* Its inline configuration scripts are moved to files, so the policy needs neither ``'unsafe-inline'`` nor
  ``'unsafe-eval'`` for scripts: ``script-src 'self' 'wasm-unsafe-eval'`` runs CanvasKit, Dart and Pyodide.
* Flutter's own service worker only unregisters itself; its registration is left out of the bootstrap (it would
  replace this app's worker). The worker's Pyodide URL is made absolute (a bare ``pyodide/pyodide.mjs`` is not a
  valid module specifier in the worker).
* The client loads a Rive runtime from jsDelivr at start-up: the URL is rewritten to this site (not shipped, the
  request fails quietly as when offline). Flutter asks Google Fonts for fallback glyphs: ``fontFallbackBaseUrl``
  points at ``fonts/fallback/`` where Noto fonts are shipped under the exact paths the engine requests.
* Python dependencies: everything ``[project].dependencies`` needs, requirements of requirements included, with
  markers evaluated for Emscripten (so Flet's ``httpx``/``oauthlib`` stay out); Pillow, binary-only and optional
  for fpdf2, is left out. fpdf2 + fontTools load only when a PDF is made.
* ``msgpack`` (needed by the bootstrap and by flet) ships as its pure-Python fallback; without it the bootstrap
  would ask Pyodide to fetch the wasm wheel.
* Chromium only revalidates (304) responses of an HTTP/1.1 server here; served by HTTP/1.0 the worker's precache
  downloads the site a second time.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PROJECT_ROOT", "BuildError"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class BuildError(Exception):
    """The site cannot be built (bad app entry, missing package, unsafe output folder): a one-line reason."""
