"""The installable, offline web app: a static build (Python in the browser with Pyodide) and a server for it.

Build-time pieces (:mod:`.build`, :mod:`.server`, :mod:`.artwork`) run on the developer's machine; run-time pieces
(:mod:`.device`, :mod:`.browser_store`) ship inside the app and also work outside a browser.

How the app plugs in
--------------------
* Entry: ``build_site(app="aftercare_app.ui.app:main")`` (the default; ``pwa build --app module:function``). The
  module must define ``main`` at top level (checked without importing it); ``main(page)`` may be sync or async.
  The archive's generated ``pwa_main.py`` awaits :func:`.device.prepare` and then calls it through ``ft.run``.
* Timezone: :func:`.device.device_timezone_name` / :func:`.device.device_timezone` read the browser's
  ``Intl.DateTimeFormat().resolvedOptions().timeZone`` from the Python worker (Pyodide's ``js`` module); before
  ``main`` runs, ``prepare`` also puts that name in ``TZ``, so code reading the environment agrees.
* Data: before ``main`` runs, ``prepare`` mounts an IndexedDB-backed folder (Emscripten IDBFS) at ``/persist``
  and sets ``AFTERCARE_DATA_DIR=/persist/aftercare`` unless already set: the app's ordinary file storage then
  persists across reload, browser restart, offline use and updates, as long as every change happens inside
  ``async with open_browser_tabs().writing():`` (:class:`.browser_store.BrowserTabs`: a lock shared by the tabs,
  the latest copy loaded before the change and saved after it). For key-value use, ``await open_browser_store()``
  gives a :class:`.browser_store.BrowserStore` (``get``/``set``/``remove``/``keys``, ``await flush()``), which
  fits :class:`aftercare_app.storage.key_value.KeyValue`.

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
  points at ``fonts/fallback/`` where Debian's Noto fonts are shipped under the exact paths the engine requests.
* Python dependencies: everything ``[project].dependencies`` needs, requirements of requirements included, with
  markers evaluated for Emscripten (so Flet's ``httpx``/``oauthlib`` stay out); Pillow, binary-only and optional
  for fpdf2, is left out. fpdf2 + fontTools double the app archive (2 to 4 MB compressed) but load only when a PDF
  is made.
* ``msgpack`` (needed by the bootstrap and by flet) ships as its pure-Python fallback; without it the bootstrap
  would ask Pyodide to fetch the wasm wheel. Flet's ``httpx``/``oauthlib`` are not needed under Emscripten.
* Chromium only revalidates (304) responses of an HTTP/1.1 server here; served by HTTP/1.0 the worker's precache
  downloads the site a second time.
"""

from __future__ import annotations

__all__ = ["build", "browser_store", "device", "server"]
