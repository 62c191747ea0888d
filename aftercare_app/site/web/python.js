// The page's side of the app's Python: the worker starts as soon as the page loads, in parallel with the Flutter
// client, instead of when the client first connects; the client's connection (jsConnect, jsSend, jsDisconnect:
// the functions flet-web's Dart code calls) then attaches to it. flet.pythonReady settles once Python can take the
// client's first message, which is when the client is started (flutter_bootstrap.js): until then the page shows
// the app's own start screen, and the main thread is free for Python's start.
"use strict";

(function () {
  const base = new URL("./", document.baseURI).href;
  let worker = null;
  let toDart = null; // the client's message handler, once it connected
  let early = []; // messages from Python before the client connected
  let failure = null;
  let settle;
  flet.pythonReady = new Promise((resolve) => (settle = resolve));

  // What the app may ask of this phone (aftercare_app/ui/phone.py): only the page can tell, a worker cannot.
  function pageFacts() {
    const agent = navigator.userAgent;
    const ios = /iPhone|iPad|iPod/.test(agent) || (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1);
    const installed = matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
    let canShareFiles = false;
    try {
      const probe = new File(["%PDF-"], "report.pdf", { type: "application/pdf" });
      canShareFiles = !!(navigator.canShare && navigator.share && navigator.canShare({ files: [probe] }));
    } catch (error) {
      canShareFiles = false; // a browser that cannot even be asked
    }
    return { ios, installed, canShareFiles, canInstall: !!flet.installPrompt };
  }
  // Tell the app's Python when a fact changes (pwa.js: the install prompt arrived or was answered).
  flet.tellPython = () => {
    if (worker) worker.postMessage({ aftercareDevice: pageFacts() });
  };

  function startWorker() {
    const started = new Worker(base + "python-worker.js", { type: "module" });
    started.onmessage = (event) => {
      if (typeof event.data !== "string") {
        if (toDart) toDart(event.data);
        else early.push(event.data);
      } else if (event.data === "initialized") {
        settle();
      } else if (event.data === "aftercare:shown") {
        window.dispatchEvent(new Event("aftercare-first-screen"));
      } else if (event.data === "aftercare:install") {
        if (flet.install) flet.install(); // within the patient's tap on "Install app" (a few seconds are allowed)
      } else {
        failure = event.data;
        console.error("The app's Python could not start:", failure);
        window.dispatchEvent(new Event("aftercare-first-screen")); // the client shows the error: let it be seen
        settle();
      }
    };
    started.postMessage({
      pyodideUrl: base + "pyodide/pyodide.mjs",
      pyodideIndexUrl: base + "pyodide/",
      stdlibUrl: base + flet.stdlibPath,
      appPackageUrl: flet.appPackageUrl,
      appPath: flet.appPath,
      pythonModuleName: flet.pythonModuleName,
      documentUrl: document.URL,
      device: pageFacts(),
    });
    return started;
  }

  worker = startWorker();

  globalThis.jsConnect = async function (appId, args, dartOnMessage) {
    if (!worker) {
      // The client connects again after a disconnect: a new Python, as flet-web's own worker would start.
      failure = null;
      flet.pythonReady = new Promise((resolve) => (settle = resolve));
      worker = startWorker();
    }
    await flet.pythonReady;
    if (failure) throw failure;
    toDart = dartOnMessage;
    for (const message of early) toDart(message);
    early = [];
  };

  globalThis.jsSend = async function (appId, data) {
    if (worker) worker.postMessage(data, [data.buffer]);
  };

  globalThis.jsDisconnect = async function (appId) {
    if (worker) {
      worker.terminate();
      worker = null;
      toDart = null;
    }
  };
})();
