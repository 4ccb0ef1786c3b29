// The map's service worker: keeps the page, its scripts and styles, and the offline bundle
// (zones, coverage, place names) so that the map opens and answers with no network.
// Network first, so an online page is always the server's current one; the copy kept is used
// only when the network fails. Questions to the API (/v1/check, /v1/route, ...) are never
// kept: they carry a position.
"use strict";

var CACHE = "riskzones-map-v1";
var KEPT = ["/", "/v1/offline", "/manifest.webmanifest"];
var KEPT_UNDER = ["/map/", "/static/maps/", "/assets/"];

function kept(url) {
  if (url.origin !== self.location.origin) { return false; }
  return KEPT.indexOf(url.pathname) >= 0 || KEPT_UNDER.some(function (p) { return url.pathname.indexOf(p) === 0; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(KEPT); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || !kept(url)) { return; }
  event.respondWith(
    fetch(event.request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(event.request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(event.request).then(function (found) {
        return found || new Response("offline, and not kept", { status: 503, headers: { "Content-Type": "text/plain" } });
      });
    })
  );
});
