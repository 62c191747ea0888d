"""What runs in the browser in the installable, offline app (Python in Pyodide); :mod:`aftercare_app.site` builds
the site that ships it.

* :mod:`.start`: the app's entry in the browser (``build_site``'s default ``aftercare_app.pwa.start:main``): the
  device's zone and persistent folder, the tabs that share it, then :func:`aftercare_app.ui.app.make_main`.
* :mod:`.device`: the browser's zone (``Intl.DateTimeFormat().resolvedOptions().timeZone``, read from the Python
  worker) and :func:`.device.prepare`, which mounts an IndexedDB-backed folder (Emscripten IDBFS) at ``/persist``:
  the app's ordinary file storage in ``/persist/aftercare`` then persists across reload, browser restart, offline
  use and updates, as long as every change happens inside ``async with tabs.writing():``
  (:class:`.browser_store.BrowserTabs`: a lock shared by the tabs, the latest copy loaded before the change and
  saved after it).
* :mod:`.browser_store`: that folder, a key-value store on it, and the tabs' coordination.
* :mod:`.lazy_imports`: packages only one action needs (the PDF report's), loaded on first import.

Each works outside a browser too (a plain folder, no tabs), which is how they are tested.
"""
