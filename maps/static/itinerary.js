// The itinerary panel of the risk map: stops added by place search, by clicking the map or by
// coordinates, each with a date; legs with a mode and an optional route file; an itinerary
// file loaded (JSON, YAML, CSV or iCalendar); checked by POST /v1/itinerary (or, in device
// mode, stop by stop on this device), drawn coloured by verdict; shared as a link that
// carries the itinerary in the URL fragment (never sent to the server); and a trip report.
// Everything shown is set with textContent, never as HTML.
(function () {
  "use strict";
  var ui = window.riskzonesUi;
  var map = window.riskzonesMap;
  var el = ui.el, t = ui.t;
  var MODES = ["road", "flight", "river", "rail", "foot"];
  var stops = [];   // {name, lat?, lon?, place?, airport?, date}
  var legs = [];    // {mode, route?: {parts, text, name, type}}
  var layer = L.layerGroup().addTo(map);
  var picking = false;

  var list = document.getElementById("rz-trip-stops");
  var where = document.getElementById("rz-trip-where");
  var pick = document.getElementById("rz-trip-pick");
  var out = document.getElementById("rz-trip-answer");
  var fileInput = document.getElementById("rz-trip-file");

  function today() { return window.riskzonesOffline.today(); }

  // The document POST /v1/itinerary takes (route files as the text they were read from).
  function documentOf() {
    return {
      stops: stops.map(function (s) {
        var stop = { date: s.date };
        if (s.airport) { stop.airport = s.airport; }
        else if (s.place) { stop.place = s.place; }
        else { stop.lat = s.lat; stop.lon = s.lon; }
        if (s.name && !s.place) { stop.name = s.name; }
        return stop;
      }),
      legs: legs.slice(0, Math.max(stops.length - 1, 0)).map(function (l) {
        var leg = { mode: l.mode };
        if (l.route) { leg.route = { type: "MultiLineString", coordinates: l.route.parts }; }
        return leg;
      })
    };
  }

  function fromDocument(doc) {
    stops = (doc.stops || []).map(function (s) {
      return { name: s.name || s.place || s.airport || (s.lat + ", " + s.lon), lat: s.lat, lon: s.lon,
        place: s.place, airport: s.airport, date: s.date || today() };
    });
    legs = (doc.legs || []).map(function (l) {
      var route = l.route && l.route.coordinates ? { parts: l.route.type === "LineString" ? [l.route.coordinates] : l.route.coordinates, name: t("route") } : null;
      return { mode: l.mode || "road", route: route };
    });
    while (legs.length < stops.length - 1) { legs.push({ mode: "road", route: null }); }
    render();
  }

  function labelled(control, text) { control.setAttribute("aria-label", text); return control; }

  function render() {
    list.replaceChildren();
    stops.forEach(function (stop, i) {
      var item = el("li", null, "rz-trip-stop");
      item.appendChild(el("span", stop.name, "rz-trip-name"));
      var date = labelled(document.createElement("input"), t("Date of stop {number}", { number: i + 1 }));
      date.type = "date"; date.value = stop.date;
      date.addEventListener("change", function () { stop.date = date.value; });
      item.appendChild(date);
      var remove = labelled(el("button", "×", "rz-trip-remove"), t("Remove stop {number}", { number: i + 1 }));
      remove.type = "button";
      remove.addEventListener("click", function () {
        stops.splice(i, 1); legs.splice(Math.min(i, legs.length - 1), 1); render();
      });
      item.appendChild(remove);
      list.appendChild(item);
      if (i < stops.length - 1) {
        var legItem = el("li", null, "rz-trip-leg");
        var mode = labelled(document.createElement("select"), t("How leg {number} travels", { number: i + 1 }));
        MODES.forEach(function (m) {
          var option = el("option", ui.mode(m)); option.value = m; mode.appendChild(option);
        });
        mode.value = legs[i].mode;
        mode.addEventListener("change", function () { legs[i].mode = mode.value; });
        legItem.appendChild(mode);
        var file = labelled(document.createElement("input"), t("Route file of leg {number}", { number: i + 1 }));
        file.type = "file"; file.accept = ".gpx,.geojson,.json,.kml,.kmz";
        file.addEventListener("change", function () { readRoute(file.files[0], i); });
        var fileLabel = el("label", legs[i].route ? t("route: {name}", { name: legs[i].route.name }) : t("route file (optional)"), "rz-trip-route");
        fileLabel.appendChild(file);
        legItem.appendChild(fileLabel);
        list.appendChild(legItem);
      }
    });
  }

  function addStop(stop) {
    if (stops.length) { legs.push({ mode: "road", route: null }); }
    stop.date = stop.date || (stops.length ? stops[stops.length - 1].date : today());
    stops.push(stop);
    render();
  }

  function readRoute(file, i) {
    if (!file) { return; }
    file.arrayBuffer().then(function (buffer) {
      return window.riskzonesRouteFiles.read(new Uint8Array(buffer), file.name, window.riskzonesRouteRules);
    }).then(function (route) {
      legs[i].route = { parts: route.parts, name: file.name };
      render();
    }, function (refusal) { out.replaceChildren(el("p", refusal.message, "rz-error")); });
  }

  // "Cusco", "-12.5, -73.8" or an airport's code ("CUZ"): a stop.
  var COORDS = /^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*$/;
  document.getElementById("rz-trip-add").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = where.value.trim();
    if (!text) { return; }
    var coords = COORDS.exec(text);
    if (coords) { addStop({ name: text, lat: Number(coords[1]), lon: Number(coords[2]) }); }
    else if (/^[A-Z]{3}$/.test(text)) { addStop({ name: text, airport: text }); }
    else { addStop({ name: text, place: text }); }
    where.value = "";
  });
  pick.addEventListener("click", function () {
    picking = !picking;
    pick.setAttribute("aria-pressed", String(picking));
    map.getContainer().classList.toggle("rz-picking", picking);
  });
  ui.onPointChosen(function (lat, lon) {
    if (!picking) { return false; }
    addStop({ name: lat.toFixed(4) + ", " + lon.toFixed(4), lat: Number(lat.toFixed(5)), lon: Number(lon.toFixed(5)) });
    return true;
  });
  ui.onPlaceChosen(function (place) {
    if (!picking) { return false; }
    addStop({ name: place.name, lat: place.lat, lon: place.lon });
    return true;
  });

  // Files: JSON is read here; YAML, CSV and iCalendar are read by the server (said so in
  // device mode, where they are not sent).
  var TYPES = { yaml: "application/yaml", yml: "application/yaml", csv: "text/csv", ics: "text/calendar", ical: "text/calendar" };
  fileInput.addEventListener("change", function () {
    var file = fileInput.files[0];
    if (!file) { return; }
    var suffix = file.name.toLowerCase().split(".").pop();
    file.text().then(function (text) {
      if (suffix === "json") {
        try { fromDocument(JSON.parse(text)); check(); } catch (error) { out.replaceChildren(el("p", String(error), "rz-error")); }
        return;
      }
      if (ui.deviceMode()) {
        out.replaceChildren(el("p", t("YAML, CSV and calendar files are read by the server; turn off device mode to load this one, or load JSON."), "rz-error"));
        return;
      }
      post(text, TYPES[suffix] || "application/yaml").then(function (answer) {
        if (!answer) { return; }
        fromDocument(documentFromAnswer(answer));
        describe(answer);
      });
    });
  });

  // An answer's stops and legs as an editable itinerary (places where they were resolved).
  function documentFromAnswer(answer) {
    return {
      stops: answer.stops.map(function (s) {
        return { name: s.name, lat: s.check.lat, lon: s.check.lon, date: s.date };
      }),
      legs: answer.legs.map(function (l) { return { mode: l.mode }; })
    };
  }

  function query() {
    var advisory = ui.advisory();
    return "?lang=" + ui.lang + (advisory ? "&advisory=" + advisory : "");
  }

  function post(body, type, accept) {
    out.replaceChildren(el("p", t("Checking…")));
    return fetch("/v1/itinerary" + query(), {
      method: "POST", headers: { "Content-Type": type, "Accept": accept || "application/json" }, body: body
    }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (problem) {
          out.replaceChildren(el("p", problem.detail || t("The request failed."), "rz-error"));
          if (problem.candidates) {
            var options = el("ul");
            problem.candidates.forEach(function (c) { options.appendChild(el("li", c.name + " (" + c.district + ", " + c.department + ")")); });
            out.appendChild(options);
          }
          return null;
        });
      }
      return accept ? response.blob() : response.json();
    }).catch(function () { out.replaceChildren(el("p", t("The request failed."), "rz-error")); return null; });
  }

  function check() {
    if (!stops.length) { out.replaceChildren(el("p", t("Add a stop first."), "rz-error")); return; }
    if (ui.deviceMode()) { checkOnDevice(); return; }
    post(JSON.stringify(documentOf()), "application/json").then(function (answer) { if (answer) { describe(answer); } });
  }

  function draw(points, legLevels) {
    layer.clearLayers();
    legLevels.forEach(function (leg, i) {
      var line = leg.line || [points[i].latlng, points[i + 1].latlng];
      L.polyline(line, { color: "#111", weight: 6, opacity: 0.7, dashArray: leg.mode === "flight" ? "8 6" : null }).addTo(layer);
      L.polyline(line, { color: ui.colour(leg.level), weight: 3, dashArray: leg.mode === "flight" ? "8 6" : null, className: "rz-trip-line" }).addTo(layer);
    });
    points.forEach(function (p, i) {
      L.circleMarker(p.latlng, { radius: 9, color: "#111", weight: 2, fillColor: ui.colour(p.level), fillOpacity: 1, className: "rz-trip-stop-marker" })
        .bindTooltip(String(i + 1) + ". " + p.name).addTo(layer);
    });
    if (points.length) { map.fitBounds(L.latLngBounds(points.map(function (p) { return p.latlng; })), clearOfPanel()); }
  }

  // Fit the trip beside the panel (on a phone, below it), not under it.
  function clearOfPanel() {
    var box = document.getElementById("rz-panel").getBoundingClientRect();
    var beside = box.width < window.innerWidth * 0.6;
    return beside ? { paddingTopLeft: [box.right + 20, 30], paddingBottomRight: [30, 30], maxZoom: 11 }
      : { paddingTopLeft: [20, box.bottom + 20], paddingBottomRight: [20, 20], maxZoom: 11 };
  }

  function legLine(i) {
    var route = legs[i] && legs[i].route;
    if (!route) { return null; }
    return [].concat.apply([], route.parts.map(function (part) { return part.map(function (c) { return [c[1], c[0]]; }); }));
  }

  // Why a stop or leg has its answer, as a list under it (nothing when there is no reason).
  function reasonList(reasons) {
    var list = el("ul", null, "rz-trip-why");
    (reasons || []).forEach(function (r) { list.appendChild(el("li", r)); });
    return list;
  }

  function describe(answer) {
    var nodes = [el("p", t("Itinerary: {verdict}", { verdict: ui.verdictText(answer.verdict) }), "rz-level rz-level-" + (answer.max_level || 0))];
    if (answer.needs_review) { nodes.push(el("p", t("Needs review: some of it could not be checked as given."), "rz-review")); }
    var items = el("ol", null, "rz-trip-results");
    answer.stops.forEach(function (s, i) {
      var item = el("li");
      item.appendChild(el("strong", s.name + " (" + s.date + ")"));
      item.appendChild(ui.levelLine(s.check.level, s.check.label));
      item.appendChild(ui.governmentRows(s.check.advisories || []));
      var zones = s.check.zones.filter(function (z) { return z.raises_level; }).map(function (z) { return z.name; });
      if (zones.length) { item.appendChild(el("p", t("Zones: {zones}", { zones: zones.join("; ") }))); }
      item.appendChild(reasonList(s.reasons));
      items.appendChild(item);
      var leg = answer.legs[i];
      if (leg) {
        var legItem = el("li", null, "rz-trip-leg-result");
        legItem.appendChild(el("span", t("{origin} to {destination}, {mode}: {verdict}", { origin: leg.origin, destination: leg.destination,
          mode: ui.mode(leg.mode), verdict: ui.verdictText(leg.verdict) })));
        legItem.appendChild(reasonList(leg.reasons));
        items.appendChild(legItem);
      }
    });
    nodes.push(items);
    // Each stop and leg shows its own reasons; what belongs to none is the calendar's.
    if (answer.unplaced && answer.unplaced.length) {
      var unplaced = el("ul", null, "rz-trip-unplaced");
      answer.unplaced.forEach(function (u) {
        var candidates = u.candidates.map(function (c) { return c.name + " (" + c.department + ")"; });
        unplaced.appendChild(el("li", u.event + " (" + (u.date || "?") + "): " + u.reason + (candidates.length ? "; " + candidates.join("; ") : "")));
      });
      nodes.push(el("p", t("Calendar events not checked:")), unplaced);
    }
    out.replaceChildren.apply(out, nodes);
    draw(answer.stops.map(function (s) { return { latlng: [s.check.lat, s.check.lon], level: s.check.level, name: s.name }; }),
      answer.legs.map(function (l, i) { return { level: l.route ? l.route.max_level : null, mode: l.mode, line: legLine(i) }; }));
  }

  // Device mode: each stop with coordinates (or a place found in the kept gazetteer) and each
  // leg with a route file, checked here; nothing is sent. What needs the server is said.
  function checkOnDevice() {
    var offline = window.riskzonesOffline;
    offline.ready.then(function () {
      var advisory = ui.advisory();
      var needsServer = [];
      var points = stops.map(function (s) {
        var lat = s.lat, lon = s.lon;
        if (lat === undefined) {
          var found = offline.lookup(s.airport || s.place);
          if (found) { lat = found.lat; lon = found.lon; }
        }
        if (lat === undefined) { needsServer.push(s.name); return null; }
        var result = offline.check(lon, lat, s.date, advisory);
        if (result.elsewhere) { needsServer.push(s.name); return null; }  // a neighbour: the server's packs
        return { latlng: [lat, lon], level: result.level, label: result.label, name: s.name, result: result };
      });
      var nodes = [el("p", t("Checked on this device (zones as of {version}); nothing was sent.", { version: offline.info().version }), "rz-device-answer")];
      var items = el("ol", null, "rz-trip-results");
      points.forEach(function (p, i) {
        var item = el("li");
        item.appendChild(el("strong", stops[i].name + " (" + stops[i].date + ")"));
        if (p) { item.appendChild(ui.levelLine(p.level, p.label && t(p.label))); }
        else { item.appendChild(el("p", t("This place needs the server (or give its coordinates)."), "rz-error")); }
        items.appendChild(item);
        if (i < stops.length - 1) {
          var leg = legs[i];
          var text;
          if (leg.mode === "flight") { text = t("flight: only its ends are checked"); }
          else if (leg.route) {
            var route = offline.checkRoute(leg.route.parts, stops[i].date, advisory);
            leg.level = route.max_level;
            text = t("{mode} on its route: {verdict}", { mode: ui.mode(leg.mode), verdict: ui.verdictText(route.verdict) });
          } else { text = t("{mode} without a route: its straight line needs the server", { mode: ui.mode(leg.mode) }); }
          items.appendChild(el("li", text, "rz-trip-leg-result"));
        }
      });
      nodes.push(items);
      if (needsServer.length) { nodes.push(el("p", t("Needs the server: {places}", { places: needsServer.join("; ") }), "rz-review")); }
      nodes.push(el("p", t("The overall verdict, night travel and alerts need the server.")));
      out.replaceChildren.apply(out, nodes);
      var drawn = points.filter(function (p) { return p; });
      draw(drawn, drawn.length === points.length ? legs.slice(0, points.length - 1).map(function (l, i) { return { level: l.level, mode: l.mode, line: legLine(i) }; }) : []);
    }).catch(function () { out.replaceChildren(el("p", t("The zones are not kept on this device yet: open the map once online."), "rz-error")); });
  }

  document.getElementById("rz-trip-check").addEventListener("click", check);

  // The link carries the itinerary after "#trip=": the fragment never reaches the server.
  function encode(doc) {
    var bytes = new TextEncoder().encode(JSON.stringify(doc));
    var text = ""; bytes.forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function decode(text) {
    var binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return JSON.parse(new TextDecoder().decode(bytes));
  }
  var shareOut = document.getElementById("rz-trip-link");
  document.getElementById("rz-trip-share").addEventListener("click", function () {
    var url = location.origin + location.pathname + location.search + "#trip=" + encode(documentOf());
    history.replaceState(null, "", url);
    shareOut.value = url;
    shareOut.hidden = false;
    shareOut.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(url).catch(function () { /* the link is shown */ }); }
  });
  function openFromLink() {
    var match = /[#&]trip=([A-Za-z0-9_-]+)/.exec(location.hash);
    if (!match) { return; }
    try { fromDocument(decode(match[1])); } catch (error) { out.replaceChildren(el("p", t("This link's itinerary cannot be read."), "rz-error")); return; }
    document.getElementById("rz-trip").open = true;
    check();
  }

  // The trip report, made by the server from the same itinerary: a PDF or a web page.
  var REPORTS = {
    pdf: { type: "application/pdf", file: "trip-report.pdf", open: t("Open the trip report (PDF)") },
    html: { type: "text/html", file: "trip-report.html", open: t("Open the trip report (web page)") }
  };
  Array.prototype.forEach.call(document.querySelectorAll(".rz-trip-report"), function (button) {
    button.addEventListener("click", function () {
      var report = REPORTS[button.getAttribute("data-format")];
      if (!stops.length) { out.replaceChildren(el("p", t("Add a stop first."), "rz-error")); return; }
      if (ui.deviceMode()) { out.replaceChildren(el("p", t("The trip report is made by the server; turn off device mode to get it."), "rz-error")); return; }
      post(JSON.stringify(documentOf()), "application/json", report.type).then(function (blob) {
        if (!blob) { return; }
        var link = el("a", report.open, "rz-trip-report-link");
        link.href = URL.createObjectURL(blob);
        link.download = report.file;
        out.appendChild(link);
        link.focus();
      });
    });
  });

  window.riskzonesTrip = { load: fromDocument, document: documentOf, check: check };
  render();
  openFromLink();
})();
