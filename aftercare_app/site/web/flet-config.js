// Configuration of the Flet web client for the in-browser (Pyodide) build; written by the build.
// Every URL is absolute on this page's own origin and folder, so the site works from any sub-folder of a static
// host and no runtime piece is fetched from a CDN.
"use strict";
var flet = (function () {
  const base = new URL("./", document.baseURI).href;
  return {
    pyodide: true,
    multiView: false,
    noCdn: true,
    webSocketEndpoint: "/ws",
    entrypointBaseUrl: base,
    assetBase: base,
    routeUrlStrategy: "hash",
    canvasKitBaseUrl: base + "canvaskit/",
    canvasKitVariant: "__CANVASKIT_VARIANT__",
    pyodideUrl: base + "pyodide/pyodide.mjs",
    webRenderer: "canvaskit",
    fontFallbackBaseUrl: base + "fonts/fallback/",
    appPackageUrl: base + "__APP_PACKAGE__",
    appPath: "/home/pyodide/__APP_PACKAGE__",
    stdlibPath: "__STDLIB_PATH__",
    micropipIncludePre: false,
    pythonModuleName: "__ENTRY_MODULE__",
    buildVersion: "__VERSION__",
  };
})();
flet.flutterAppLoaded = new Promise((resolve) => {
  flet.flutterAppResolve = resolve;
});
