// Service worker of the installable web app: precaches the whole build so the app starts with no network.
//
// The build writes the two constants below. Each build has its own cache ("<prefix>-<version>"); a newer build
// installs into a new cache, takes over, and the old cache is deleted. The patient's data never lives here: it is
// in IndexedDB / localStorage, which a cache swap does not touch.
"use strict";

const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
// CanvasKit comes in variants: the smaller "chromium" one where the client can run it, the "full" one elsewhere.
// The one this browser will load is precached (see chromiumCanvasKit); the page also reports the one it loaded
// (see pwa.js), and either is kept when it is fetched.
const CANVASKIT = __CANVASKIT__;
// Files kept only once something asks for them (the modules no flow of the app imports): cached on first fetch.
const ON_DEMAND = __ON_DEMAND__;
const CACHE_PREFIX = "aftercare-";
const PRECACHE_NAME = `${CACHE_PREFIX}${VERSION}`;
// Fallback fonts are fetched by the Flutter engine only when a text needs a glyph the bundled fonts lack; they are
// kept across builds because their content is fixed by their URL.
const FONT_CACHE_NAME = `${CACHE_PREFIX}fonts-1`;
const FONT_PREFIX = "fonts/fallback/";
// Several fallback-font URLs may be served by one shipped file (the engine asks for per-range subsets of some
// families; the build ships the whole font once). Written by the build: URL path -> shipped path.
const FONT_ALIASES = __FONT_ALIASES__;

const scopeUrl = new URL(self.registration.scope);

function chromiumCanvasKit() {
  // Intl.v8BreakIterator exists only in V8, that is in Chromium browsers (the client also asks for a Blink engine
  // and WebCodecs, which every Chromium browser with Intl.Segmenter has).
  return typeof Intl.v8BreakIterator !== "undefined" && typeof Intl.Segmenter !== "undefined";
}
const toUrl = (path) => new URL(path, scopeUrl).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(PRECACHE_NAME);
      // "no-cache": revalidate against the server (a 304 reuses what the first visit already downloaded) so a
      // stale HTTP cache entry can never end up in a new version's cache.
      const variant = chromiumCanvasKit() && CANVASKIT.chromium.length ? "chromium" : "full";
      const files = [...PRECACHE, ...CANVASKIT[variant]];
      await cache.addAll(files.map((path) => new Request(toUrl(path), { cache: "no-cache" })));
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== PRECACHE_NAME && name !== FONT_CACHE_NAME)
          .map((name) => caches.delete(name))
      );
      await self.clients.claim();
    })()
  );
});

async function fromPrecache(request) {
  const cache = await caches.open(PRECACHE_NAME);
  return cache.match(request, { ignoreSearch: true });
}

// A file of this build not precached (the other CanvasKit, a module archive fetched on demand): from the network
// once, then from the cache.
async function keptOnFirstUse(request) {
  const hit = await fromPrecache(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await (await caches.open(PRECACHE_NAME)).put(request, response.clone());
  return response;
}

async function fallbackFont(url) {
  const relative = url.pathname.slice(scopeUrl.pathname.length);
  const shipped = FONT_ALIASES[relative.slice(FONT_PREFIX.length)];
  const target = shipped ? toUrl(FONT_PREFIX + shipped) : url.href;
  const cache = await caches.open(FONT_CACHE_NAME);
  const hit = await cache.match(target);
  if (hit) return hit;
  const response = await fetch(target);
  if (response.ok) await cache.put(target, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== scopeUrl.origin || !url.pathname.startsWith(scopeUrl.pathname)) return;

  if (url.pathname.startsWith(scopeUrl.pathname + FONT_PREFIX)) {
    event.respondWith(fallbackFont(url));
    return;
  }
  if (request.mode === "navigate") {
    // Every navigation inside the app gets the app shell; routes live after the "#".
    event.respondWith(
      (async () => (await fromPrecache(toUrl("index.html"))) || fetch(request))()
    );
    return;
  }
  const relative = url.pathname.slice(scopeUrl.pathname.length);
  if (ON_DEMAND.includes(relative) || CANVASKIT.full.includes(relative) || CANVASKIT.chromium.includes(relative)) {
    event.respondWith(keptOnFirstUse(request));
    return;
  }
  event.respondWith(
    (async () => (await fromPrecache(request)) || fetch(request))()
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "version" && event.ports[0]) event.ports[0].postMessage(VERSION);
  if (event.data && Array.isArray(event.data.keep)) {
    // The CanvasKit files the page loaded: kept for offline starts (from the HTTP cache, no second download).
    const mine = event.data.keep.filter((u) => new URL(u).href.startsWith(scopeUrl.href));
    event.waitUntil(Promise.all(mine.map((u) => keptOnFirstUse(new Request(u)))));
  }
});
