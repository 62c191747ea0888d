
// Start the Flutter client: CanvasKit only (one renderer), the "full" CanvasKit variant that every browser can
// run, and no Flutter service worker (the app has its own, see sw.js).
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
      flet.flutterApp = await engine.runApp();
      flet.flutterAppResolve(flet.flutterApp);
    },
  });
})();
