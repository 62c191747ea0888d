// Installable-app glue, loaded by index.html after python.js: storage persistence, the service worker, the loading
// screen and the WebKit back/forward-cache workaround. No inline script, so a strict Content-Security-Policy holds.
"use strict";

(function () {
  // Ask the browser not to evict the patient's diary under storage pressure, on the first save (as browsers advise:
  // a request at load, before the patient has kept anything, may be declined or prompt for nothing). The Python
  // worker announces each save on the "aftercare-store" channel (aftercare_app/pwa/browser_store.py). Chromium
  // grants it to installed apps and sites with high engagement; Safari and Firefox may prompt or decline.
  // flet.storagePersisted holds the browser's latest answer.
  const storage = navigator.storage;
  async function askPersist(ask) {
    try {
      if (storage && storage.persisted) {
        const kept = await storage.persisted();
        return kept || (ask && storage.persist ? await storage.persist() : false);
      }
    } catch (error) {
      console.warn("navigator.storage.persist failed:", error);
    }
    return false;
  }
  flet.storagePersisted = askPersist(false);
  if ("BroadcastChannel" in globalThis) {
    const saves = new BroadcastChannel("aftercare-store");
    saves.onmessage = async () => {
      saves.close(); // one request per page
      flet.storagePersisted = askPersist(true);
    };
  }

  // Chromium's install prompt, caught early (it fires once, possibly before the app is drawn) and kept for the
  // app's "Install app" button (aftercare_app/ui/screens/install.py), which asks for it through python.js.
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // no mini-infobar: the app offers it where it explains it
    flet.installPrompt = event;
    if (flet.tellPython) flet.tellPython();
  });
  flet.install = async () => {
    const prompt = flet.installPrompt;
    if (!prompt) return;
    flet.installPrompt = null; // a prompt shows once
    try {
      await prompt.prompt();
      await prompt.userChoice;
    } catch (error) {
      console.warn("The install prompt failed:", error);
    }
    if (flet.tellPython) flet.tellPython();
  };
  window.addEventListener("appinstalled", () => flet.tellPython && flet.tellPython());

  // Register the service worker once Python has started, so its precache revalidates what the first visit already
  // downloaded instead of racing it for bandwidth.
  function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || flet.serviceWorkerRegistration) return;
    flet.serviceWorkerRegistration = navigator.serviceWorker
      .register(new URL("sw.js", document.baseURI).href, { scope: "./" })
      // Look for a newer build at every start (one small request; fails quietly offline).
      .then((registration) => registration.update().catch(() => undefined).then(() => registration))
      .catch((error) => console.warn("Service worker registration failed:", error));
  }
  const connect = globalThis.jsConnect;
  globalThis.jsConnect = async function (...args) {
    try {
      return await connect(...args);
    } finally {
      registerServiceWorker();
    }
  };
  // Safety net: if Python never starts (an error page), still make the shell available offline.
  window.addEventListener("load", () => setTimeout(registerServiceWorker, 30000));

  // The start screen gives way to the app's first screen: with the site's own worker, once Python says it sent it
  // (two frames later, for the client to draw it); with flet-web's, at the client's first frame.
  function endStartScreen() {
    const screen = document.getElementById("loading");
    if (!screen) return;
    requestAnimationFrame(() => requestAnimationFrame(() => {
      screen.classList.add("done");
      setTimeout(() => screen.remove(), 200);
    }));
  }
  if (flet.pythonReady) {
    window.addEventListener("aftercare-first-screen", endStartScreen, { once: true });
    // Never stuck behind it: whatever happens to Python, the client's own page shows after a while.
    window.addEventListener("flutter-first-frame", () => setTimeout(endStartScreen, 20000), { once: true });
  } else {
    window.addEventListener("flutter-first-frame", endStartScreen, { once: true });
  }

  // The service worker precaches the CanvasKit it expects this browser to use; tell it the one the client loaded.
  window.addEventListener("flutter-first-frame", () => {
    if (!("serviceWorker" in navigator)) return;
    const used = performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes("/canvaskit/"));
    navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage({ keep: used }));
  }, { once: true });

  // WebKit restores a Flutter page from the back/forward cache with frame scheduling broken; only a fresh engine
  // recovers. Other engines restore correctly, and for an in-browser app a needless reload would restart Python.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && navigator.vendor && navigator.vendor.startsWith("Apple")) {
      window.location.reload();
    }
  });
})();
