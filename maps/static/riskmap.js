// The interactive part of the risk map: check a clicked point, find a place, check an
// uploaded route. Everything the API returns is shown with textContent, never as HTML.
(function () {
  "use strict";
  var map = window.riskzonesMap;
  var answer = document.getElementById("rz-answer");
  // Whose advice sets the level: the government whose layer is chosen (default: the first).
  var governments = window.riskzonesGovernments || {};
  var advisory = null;
  map.on("baselayerchange", function (event) {
    if (governments[event.name]) { advisory = governments[event.name]; }
  });
  var marker = null;
  var routeLayer = null;
  // The page's language (the server renders it for ?lang or Accept-Language) and its texts.
  var lang = document.documentElement.lang || "en";
  var texts = window.riskzonesText || {};
  function t(text, values) {
    var found = texts[text] || text;
    return found.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && values[name] !== undefined ? String(values[name]) : whole;
    });
  }
  // The words for verdicts and statuses, in the page's language (geo/engine/words.py, one table with
  // the command line's).
  var words = window.riskzonesWords || { verdicts: {}, statuses: {} };
  var VERDICTS = words.verdicts;
  var STATUSES = words.statuses;
  function verdictText(verdict) { return VERDICTS[verdict] || verdict; }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function show(nodes) {
    answer.replaceChildren.apply(answer, nodes);
  }

  function problem(body) {
    show([el("p", body && body.detail ? body.detail : t("The request failed."), "rz-error")]);
  }

  // An alert as the answers list it: level, what, until when, and who says so.
  function alertText(a) {
    return t("Level {level}, {category}: {summary} (until {ends}; {publisher})",
      { level: a.level, category: a.category, summary: a.summary, ends: a.ends, publisher: a.publisher });
  }

  // The alerts not yet ended, drawn as their own dashed layer (they change while the page is
  // open, so they come from the API, not with the page).
  fetch("/v1/alerts")
    .then(function (response) { return response.ok ? response.json() : { features: [] }; })
    .then(function (collection) {
      if (!collection.features.length) { return; }
      L.geoJSON(collection, {
        style: function (feature) {
          var colour = (window.riskzonesColours[feature.properties.level] || window.riskzonesColours.none).text;
          return { color: colour, fillColor: colour, weight: 2, dashArray: "6 4", fillOpacity: 0.25, className: "rz-alert-area" };
        },
        onEachFeature: function (feature, layer) {
          var box = el("div", null, "rz-alert-popup");
          box.appendChild(el("p", t("Alert: {alert}", { alert: alertText(feature.properties) })));
          box.appendChild(el("p", t("From {starts}", { starts: feature.properties.starts })));
          layer.bindPopup(box);
        }
      }).addTo(map);
    })
    .catch(function () { /* no alerts layer; clicks still list them */ });

  // The level colours, one table with the server's (maps/colours.py).
  var COLOURS = window.riskzonesColours;
  function colours(level) { return COLOURS[String(level)] || COLOURS.none; }
  function colour(level) { return colours(level).fill; }
  // A level as a chip: its number on its colour (white on the darkest), named for readers.
  function chip(level) {
    var node = el("span", level === null || level === undefined ? "–" : String(level), "rz-chip");
    node.style.background = colour(level);  // set from script: the page's policy allows no inline style
    node.style.color = colours(level).ink;
    node.setAttribute("aria-hidden", "true");
    return node;
  }
  function levelLine(level, label) {
    var line = el("p", null, "rz-level rz-level-" + (level || 0));
    line.appendChild(chip(level));
    line.appendChild(el("span", level ? " " + t("Level {level}: {label}", { level: level, label: label }) : " " + t("Outside the zone pack: no level can be given.")));
    return line;
  }
  // A government's own words for its level, without the brackets some texts carry.
  function ownWords(words) { return (words || "").replace(/^\(+|\)+$/g, ""); }
  // One row per government: its chip, its name and its own words.
  function governmentRows(advisories) {
    var rows = el("ul", null, "rz-governments");
    advisories.forEach(function (a) {
      var row = el("li");
      row.appendChild(chip(a.level));
      row.appendChild(el("span", " " + a.name + ": ", "rz-government"));
      row.appendChild(el("span", a.level === null ? t("no level") : t("level {level}", { level: a.level }) + (a.native_level ? " — " + ownWords(a.native_level) : "")));
      rows.appendChild(row);
    });
    return rows;
  }
  // One line about how current the data is: the chosen government's text and its last
  // confirmation, and every source that may be outdated.
  function currencyLine(body) {
    var chosen = (body.advisories || []).filter(function (a) { return a.government === body.advisory; })[0];
    var words = chosen ? t("{government}: text of {day}, last confirmed current on {verified}.",
      { government: chosen.name, day: chosen.as_of, verified: chosen.verified_on }) + " " : "";
    var outdated = (body.currency || []).filter(function (c) { return c.possibly_outdated; }).map(function (c) { return c.source; });
    words += outdated.length
      ? t("Possibly outdated (not confirmed current for over 180 days): {sources}", { sources: outdated.join(", ") })
      : t("All sources confirmed current within 180 days.");
    return el("p", words, "rz-currency" + (outdated.length ? " rz-outdated" : ""));
  }

  function describePoint(body) {
    var nodes = [];
    if (!body.covered) {
      nodes.push(levelLine(null));
      if (body.hint) { nodes.push(el("p", body.hint)); }
    } else {
      nodes.push(levelLine(body.level, body.label));
    }
    if (body.admin) {
      nodes.push(el("p", body.admin.district + ", " + body.admin.province + ", " + body.admin.department, "rz-where"));
    }
    if (body.advisories && body.advisories.length) {
      nodes.push(governmentRows(body.advisories));
      if (body.disagreement) { nodes.push(el("p", t("Governments disagree here."), "rz-disagree")); }
    }
    var zones = el("ul", null, "rz-zones");
    body.zones.forEach(function (zone) {
      var note = zone.excepted ? t(" (excepted here)") : (zone.raises_level ? "" : " (" + (zone.status_text || STATUSES[zone.status] || zone.status) + ")");
      zones.appendChild(el("li", t("{zone}: level {level}", { zone: zone.name, level: zone.level }) + note));
    });
    if (body.zones.length) { nodes.push(el("p", t("Zones here:")), zones); }
    else if (body.covered) { nodes.push(el("p", t("No advisory zone here."))); }
    if (body.nearby && body.nearby.length) {
      var near = body.nearby[0];
      nodes.push(el("p", t("Nearest zone: {zone}, {km} km (level {level})", { zone: near.name, km: near.distance_km.toFixed(1), level: near.level })));
    }
    if (body.alerts && body.alerts.length) {
      var alerts = el("ul", null, "rz-alerts");
      body.alerts.forEach(function (a) { alerts.appendChild(el("li", alertText(a), "rz-alert")); });
      nodes.push(el("p", t("Alerts here:")), alerts);
    }
    if (body.covered) { nodes.push(currencyLine(body)); }
    var card = el("div", null, "rz-card");
    card.replaceChildren.apply(card, nodes);
    show([card]);
  }

  // Device mode: points (clicked, typed, or the browser's position) are checked here, from the
  // zones kept on this device; nothing about them is sent. On by default when offline.
  var offline = window.riskzonesOffline;
  var device = document.getElementById("rz-device");
  var deviceNote = document.getElementById("rz-device-note");
  var offlineNote = document.getElementById("rz-offline");
  function setDevice(on) {
    device.checked = on;
    deviceNote.hidden = !on;
  }
  device.addEventListener("change", function () { setDevice(device.checked); });
  function showCurrency() {
    var pack = offline.info();
    if (!pack) { return; }
    var when = { version: pack.version, built: pack.built.slice(0, 10) };
    offlineNote.textContent = navigator.onLine ? t("Zones as of {version} (pack built {built})", when)
      : t("Offline — zones as of {version} (pack built {built})", when);
  }
  offline.ready.then(showCurrency).catch(function () { offlineNote.textContent = ""; });
  window.addEventListener("offline", function () { setDevice(true); showCurrency(); });
  window.addEventListener("online", showCurrency);
  setDevice(!navigator.onLine);

  function describeOnDevice(body) {
    if (body.elsewhere) {  // a neighbour: its pack is on the server only
      show([el("p", t("In {country}: this device keeps Peru's zones only. Turn device mode off to check here with the server.",
        { country: (words.countries || {})[body.elsewhere] || body.elsewhere }), "rz-device-answer")]);
      return;
    }
    body.label = body.label && t(body.label);  // the bundle's labels are the English ones
    describePoint(body);
    answer.appendChild(el("p", t("Checked on this device (zones as of {version}); your position was not sent. Nearby zones, districts and alerts need the server.",
      { version: offline.info().version }), "rz-device-answer"));
  }

  function checkPoint(lat, lon) {
    if (marker) { map.removeLayer(marker); }
    marker = L.circleMarker([lat, lon], { radius: 6, color: "#000", className: "rz-marker" }).addTo(map);
    show([el("p", t("Checking…"))]);
    if (device.checked) {
      offline.ready
        .then(function () { describeOnDevice(offline.check(lon, lat, null, advisory)); })
        .catch(function () { show([el("p", t("The zones are not kept on this device yet: open the map once online."), "rz-error")]); });
      return;
    }
    fetch("/v1/check?lat=" + lat.toFixed(5) + "&lon=" + lon.toFixed(5) + "&lang=" + lang + (advisory ? "&advisory=" + advisory : ""))
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (result) { if (result[0]) { describePoint(result[1]); } else { problem(result[1]); } })
      .catch(function () { problem(null); });
  }

  // Another part of the page (the itinerary panel) may take a chosen point or place first.
  var pointTakers = [], placeTakers = [];
  function taken(takers, args) { return takers.some(function (take) { return take.apply(null, args); }); }
  function onClick(event) {
    if (taken(pointTakers, [event.latlng.lat, event.latlng.lng])) { return; }
    checkPoint(event.latlng.lat, event.latlng.lng);
  }
  map.on("click", onClick);
  // A click on a zone is caught by the zone (which opens its popup): check that point too.
  function hook(layer) {
    if (layer && layer.feature && !layer.rzHooked) { layer.rzHooked = true; layer.on("click", onClick); }
    // The zones' shapes stay out of the tab order (there are dozens, with the neighbours'): a
    // keyboard reaches any place through the search and the coordinates, which answer the same.
    var element = layer && layer.feature && layer.getElement ? layer.getElement() : null;
    if (element) { element.setAttribute("tabindex", "-1"); }
  }
  map.eachLayer(hook);
  map.on("layeradd", function (event) { hook(event.layer); });

  // Place search against the offline gazetteer.
  var input = document.getElementById("rz-search-input");
  var results = document.getElementById("rz-search-results");
  function findPlaces(query) {
    if (device.checked) {  // the place typed is not sent either
      return offline.ready.then(function () { return { places: offline.search(query) }; });
    }
    return fetch("/v1/places?q=" + encodeURIComponent(query) + "&lang=" + lang).then(function (response) { return response.json(); });
  }
  document.getElementById("rz-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    if (!query) { return; }
    findPlaces(query)
      .then(function (body) {
        results.replaceChildren();
        (body.places || []).forEach(function (place) {
          var item = el("li");
          var choose = el("button", place.name + " (" + place.district + ", " + place.department + ")", "rz-place");
          choose.type = "button";
          choose.addEventListener("click", function () {
            map.setView([place.lat, place.lon], 10);
            if (taken(placeTakers, [place])) { return; }
            checkPoint(place.lat, place.lon);
          });
          item.appendChild(choose);
          results.appendChild(item);
        });
        if (!(body.places || []).length) { results.appendChild(el("li", t("No place found."))); }
      });
  });

  // Routes: read in the browser by routefiles.js (as the server reads them), drawn, and
  // checked by the API, or on this device in device mode.
  // Km along the route at each vertex, part after part, as the API counts them (a part's
  // km follow on from the previous part's end, with nothing between them).
  function kmAlong(parts) {
    var total = [], offset = 0;
    parts.forEach(function (part) {
      part.forEach(function (point, i) {
        if (i) { offset += map.distance(part[i - 1], point) / 1000; }
        total.push(offset);
      });
    });
    return total;
  }

  function describeRoute(body, parts) {
    var along = kmAlong(parts), coords = [].concat.apply([], parts);
    var nodes = [el("p", t("Route: {verdict} ({km} km)", { verdict: verdictText(body.verdict), km: body.length_km.toFixed(1) }),
      "rz-level rz-level-" + (body.max_level || 2))];
    var list = el("ul");
    body.zones.forEach(function (zone) {
      zone.crossings.forEach(function (c) {
        list.appendChild(el("li", t("{zone}: km {enter} to {exit} ({km} km inside)",
          { zone: zone.name, enter: c.enter_km.toFixed(1), exit: c.exit_km.toFixed(1), km: c.inside_km.toFixed(1) })));
        var part = coords.filter(function (_p, i) { return along[i] >= c.enter_km && along[i] <= c.exit_km; });
        part.unshift([c.enter[1], c.enter[0]]);
        part.push([c.exit[1], c.exit[0]]);
        var colour = window.riskzonesColours[zone.raises_level && zone.level >= 4 ? 4 : 3].text;
        L.polyline(part, { color: colour, weight: 7, opacity: 0.9, className: "rz-crossing" }).addTo(routeLayer);
      });
    });
    if (list.childNodes.length) { nodes.push(el("p", t("Crossings:")), list); }
    body.reasons.forEach(function (reason) { nodes.push(el("p", reason)); });
    show(nodes);
  }

  // The browser's position: checked like a click (on the device in device mode).
  document.getElementById("rz-locate").addEventListener("click", function () {
    if (!navigator.geolocation) { show([el("p", t("This browser cannot tell its position."), "rz-error")]); return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude, lon = position.coords.longitude;
      map.setView([lat, lon], 10);
      checkPoint(lat, lon);
    }, function (error) { show([el("p", t("No position: {reason}", { reason: error.message }), "rz-error")]); });
  });

  function describeRouteOnDevice(body) {
    var nodes = [el("p", t("Route: {verdict} ({km} km)", { verdict: verdictText(body.verdict), km: body.length_km.toFixed(1) }),
      "rz-level rz-level-" + (body.max_level || 2))];
    var list = el("ul");
    body.zones.forEach(function (zone) {
      var note = zone.raises_level ? "" : t(" (does not raise the level here)");
      list.appendChild(el("li", t("{zone}: {km} km inside, level {level}", { zone: zone.name, km: zone.inside_km.toFixed(1), level: zone.level }) + note));
    });
    if (list.childNodes.length) { nodes.push(el("p", t("Zones crossed:")), list); }
    if (body.elsewhere && body.elsewhere.length) {
      var names = body.elsewhere.map(function (code) { return (words.countries || {})[code] || code; });
      nodes.push(el("p", t("The route goes into {countries}: this device keeps Peru's zones only, so those parts need the server.",
        { countries: names.join(", ") }), "rz-review"));
    }
    nodes.push(el("p", t("Checked on this device (zones as of {version}); the route was not sent. Crossing points, nearby zones and alerts need the server.",
      { version: offline.info().version }), "rz-device-answer"));
    show(nodes);
  }

  // The media type the file's name suggests; the server reads the content either way.
  function mediaType(name) {
    var suffix = name.toLowerCase().split(".").pop();
    return { gpx: "application/gpx+xml", kml: "application/vnd.google-earth.kml+xml",
      kmz: "application/vnd.google-earth.kmz", csv: "text/csv" }[suffix] || "application/json";
  }

  function checkFile(file) {
    if (!file) { return; }
    file.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      return window.riskzonesRouteFiles.read(bytes, file.name, window.riskzonesRouteRules)
        .then(function (route) { return [bytes, route, null]; },
          function (refusal) { return [bytes, null, refusal]; });
    }).then(function (read) {
      var bytes = read[0], route = read[1], refusal = read[2];
      if (routeLayer) { map.removeLayer(routeLayer); }
      routeLayer = L.layerGroup().addTo(map);
      // Each part drawn apart, as it is checked (lat, lon for Leaflet).
      var drawn = route ? route.parts.map(function (part) { return part.map(function (c) { return [c[1], c[0]]; }); }) : [];
      var coords = [].concat.apply([], drawn);
      drawn.forEach(function (part) { if (part.length > 1) { L.polyline(part, { color: "#222", weight: 3 }).addTo(routeLayer); } });
      if (coords.length > 1) { map.fitBounds(L.latLngBounds(coords)); }
      if (device.checked) {  // the route is not sent either
        if (refusal) { show([el("p", refusal.message, "rz-error")]); return; }
        show([el("p", t("Checking the route…"))]);
        offline.ready.then(function () {
          describeRouteOnDevice(offline.checkRoute(route.parts, null, advisory));
        }).catch(function () { show([el("p", t("The zones are not kept on this device yet: open the map once online."), "rz-error")]); });
        return;
      }
      show([el("p", t("Checking the route…"))]);
      fetch("/v1/route?lang=" + lang + (advisory ? "&advisory=" + advisory : ""), { method: "POST", headers: { "Content-Type": mediaType(file.name) }, body: bytes })
        .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
        .then(function (result) { if (result[0]) { describeRoute(result[1], drawn); } else { problem(result[1]); } })
        .catch(function () { problem(null); });
    });
  }

  // What the itinerary panel (itinerary.js) shares with this page: one way of showing levels,
  // governments and words.
  var MODES = words.modes || {};
  window.riskzonesUi = {
    el: el, t: t, lang: lang, colour: colour, chip: chip, levelLine: levelLine, governmentRows: governmentRows,
    verdictText: verdictText, mode: function (m) { return MODES[m] || m; },
    advisory: function () { return advisory; }, deviceMode: function () { return device.checked; },
    onPointChosen: function (take) { pointTakers.push(take); },
    onPlaceChosen: function (take) { placeTakers.push(take); }
  };

  // Folding: the panel and the legend start folded on a phone-sized screen.
  if (window.matchMedia && window.matchMedia("(max-width: 600px)").matches) {
    ["rz-panel-fold", "rz-legend"].forEach(function (id) { var node = document.getElementById(id); if (node) { node.open = false; } });
  }

  document.getElementById("rz-route-file").addEventListener("change", function (event) {
    checkFile(event.target.files[0]);
  });
  // A route file dropped anywhere on the map is checked the same way.
  var container = map.getContainer();
  container.addEventListener("dragover", function (event) { event.preventDefault(); });
  container.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) { checkFile(event.dataTransfer.files[0]); }
  });
})();
