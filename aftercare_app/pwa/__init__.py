"""The installable, offline web app: a static build (Pyodide in the browser) and a server for it.

Build-time pieces (:mod:`.build`, :mod:`.server`, :mod:`.artwork`) run on the developer's machine; run-time pieces
(:mod:`.device`, :mod:`.browser_store`) ship inside the app and also work outside a browser.
"""

from __future__ import annotations

__all__ = ["build", "browser_store", "device", "server"]
