
// Start the Flutter client: CanvasKit only (one renderer; the smaller "chromium" variant where the browser can run
// it), and no Flutter service worker (the app has its own, see sw.js). The client runs once the app's Python is
// ready (flet.pythonReady, see python.js): it then connects at once, instead of animating a spinner on the main
// thread while Python starts beside it.
_flutter.buildConfig = __BUILD_CONFIG__;
(function () {
  const config = {
    multiViewEnabled: flet.multiView,
    entrypointBaseUrl: flet.entrypointBaseUrl,
    assetBase: flet.assetBase,
    renderer: flet.webRenderer,
    canvasKitBaseUrl: flet.canvasKitBaseUrl,
    canvasKitVariant: flet.canvasKitVariant,
    fontFallbackBaseUrl: flet.fontFallbackBaseUrl,
  };
  _flutter.loader.load({
    config: config,
    onEntrypointLoaded: async function (engineInitializer) {
      const engine = await engineInitializer.initializeEngine(config);
      await flet.pythonReady; // undefined with flet-web's own worker: no wait
      flet.flutterApp = await engine.runApp();
      flet.flutterAppResolve(flet.flutterApp);
    },
  });
})();
