// The app's Python, in a module worker: Pyodide with the precompiled standard library, the app's archive read in
// place from a zip, the entry imported and its ready() awaited (Flet's connection set up) before the Flutter
// client connects. Started by python.js at page load, in parallel with the client.
//
// Messages to the page: "initialized" once the client may connect; any other string is an error that stops the
// start; "aftercare:shown" when the app has drawn its first screen, "aftercare:install" when the patient asked to
// install it; binary messages are Flet's protocol. From the page: the start configuration, then Flet's messages
// and {aftercareDevice} when what the page knows of the phone changed (flet_js.device, aftercare_app/pwa/phone.py).
"use strict";

const flet_js = {}; // the module Flet's Python side imports to reach this worker
self.flet_js = flet_js;

function send(message) {
  // A Python bytes value: a fresh Uint8Array whose buffer can be moved to the page without a copy.
  const bytes = message.toJs();
  self.postMessage(bytes, [bytes.buffer]);
}
flet_js.receive_callback = send;

async function start(config) {
  const t0 = performance.now();
  const mark = (what) => console.debug(`[python] ${what} at ${Math.round(performance.now() - t0)} ms`);
  const archive = fetch(config.appPackageUrl).then((response) => {
    if (!response.ok) throw new Error(`the app's archive answered HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const { loadPyodide } = await import(config.pyodideUrl);
  const pyodide = await loadPyodide({
    indexURL: config.pyodideIndexUrl,
    stdLibURL: config.stdlibUrl,
    stdout: (text) => console.log(text),
    stderr: (text) => console.error(text),
  });
  mark("Python loaded");
  pyodide.FS.writeFile(config.appPath, new Uint8Array(await archive));
  flet_js.documentUrl = config.documentUrl;
  flet_js.device = config.device || null;
  flet_js.args = null;
  pyodide.registerJsModule("flet_js", flet_js);
  pyodide.globals.set("_app_path", config.appPath);
  pyodide.globals.set("_entry_module", config.pythonModuleName);
  await pyodide.runPythonAsync(`
import importlib, sys
sys.path.insert(0, _app_path)
await importlib.import_module(_entry_module).ready()
`);
  mark("app imported");
  if (typeof flet_js.start_connection !== "function") {
    throw new Error("the app's entry did not start Flet (ft.run)");
  }
  await flet_js.start_connection(send);
}

self.onmessage = async (event) => {
  if (event.data && event.data.aftercareDevice) {
    flet_js.device = event.data.aftercareDevice;
    if (typeof flet_js.device_changed === "function") flet_js.device_changed();
  } else if (!self.started) {
    self.started = true;
    try {
      await start(event.data);
      self.postMessage("initialized");
    } catch (error) {
      self.postMessage(String(error && error.stack ? error.stack : error));
    }
  } else if (typeof flet_js.send === "function") {
    flet_js.send(event.data);
  } else {
    console.error("A message for the app arrived before it started; dropped.");
  }
};
