// Checks on this device: a point answered from the offline bundle (/v1/offline, kept by the
// service worker) with Turf's point-in-polygon, so its coordinates are never sent anywhere.
// The bundle carries what the engine decides (each zone's status on every day, each
// government's country-wide level, which zones each government's answers count: see
// geo/exports/offline.py); this file only applies geo.engine.rules.LevelRule.decide to them.
(function () {
  "use strict";
  var bundle = null;
  var positions = {};  // zone id -> position in bundle.zones.features, made once on load

  // The entry of a [[first day, value], ...] timeline in force on an ISO day.
  function onDay(timeline, day) {
    var found = timeline[0][1];
    for (var i = 0; i < timeline.length && timeline[i][0] <= day; i++) { found = timeline[i][1]; }
    return found;
  }

  // Today in the pack's time zone, as YYYY-MM-DD (the API's default date).
  function today() {
    var zone = bundle ? bundle.pack.timezone : "America/Lima";
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
      .format(new Date());
  }

  function inside(geometry, point) {
    return turf.booleanPointInPolygon(point, geometry);  // the boundary counts, as in the API
  }

  // geo.engine.rules.LevelRule.decide, on the zones whose area holds the point.
  function check(lon, lat, day, advisory) {
    day = day || today();
    advisory = advisory || bundle.default_advisory;
    var point = turf.point([lon, lat]);
    var features = bundle.zones.features;
    var here = [];
    features.forEach(function (feature, i) { if (inside(feature.geometry, point)) { here.push(i); } });
    var status = {};
    var present = [];
    here.forEach(function (i) {
      var z = features[i].properties;
      if (z.counted_for.indexOf(advisory) < 0 && z.counted_for[0] !== null) { return; }
      var state = onDay(z.statuses, day);
      if (z.is_advice && state !== "in_force") { return; }  // not the government's current text
      status[i] = state;
      present.push(i);
    });
    var excepted = {};
    present.forEach(function (i) {
      var z = features[i].properties;
      var parent = z.parent === null ? undefined : positions[z.parent];
      if (z.kind === "exception" && status[i] === "in_force" && parent !== undefined && status[parent] !== undefined) {
        excepted[parent] = true;
      }
    });
    var covered = inside(bundle.coverage, point) || here.length > 0;
    var government = bundle.baseline.governments[advisory];
    var level = government ? onDay(government, day) : bundle.baseline.level;
    var zones = present.map(function (i) {
      var z = features[i].properties;
      var raises = z.kind !== "exception" && status[i] === "in_force" && !excepted[i];
      if (raises) { level = Math.max(level, z.level); }
      return { id: z.id, name: z.name, level: z.level, status: status[i], excepted: !!excepted[i], raises_level: raises };
    });
    var current = bundle.currency[advisory];
    // In a neighbour the server answers with that country's pack; this device holds Peru's only.
    var elsewhere = covered ? null : (bundle.elsewhere || []).filter(function (other) {
      return inside(other.coverage, point);
    }).map(function (other) { return other.country; })[0] || null;
    return {
      lon: lon, lat: lat, date: day, covered: covered, elsewhere: elsewhere,
      level: covered ? level : null,
      label: covered ? bundle.labels[String(level)] : null,
      zones: zones,
      // How current the chosen government's text is, as the server says (outdated_from is
      // computed with geo.engine.advisories.OUTDATED_AFTER_DAYS).
      currency: current ? [{ source: advisory, as_of: current.as_of, verified_on: current.verified_on,
        possibly_outdated: day >= current.outdated_from }] : []
    };
  }

  // A route on the device, as geo.trips.route.RouteChecker.check judges it: each zone the line
  // enters, split where it crosses the zone's and its exceptions' edges; each stretch judged
  // by the level rule with the exceptions present at its middle (a stretch shorter than
  // sliver_km beside an excepted one is the rounding of their shared edge); the route's level
  // the highest raising zone shown for the advisory, over its country-wide level.
  function bboxesMeet(a, b) { return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]; }

  function pieces(line, splitters) {
    var found = [line];
    splitters.forEach(function (splitter) {
      var next = [];
      found.forEach(function (piece) {
        var split = turf.lineSplit(piece, splitter).features;
        Array.prototype.push.apply(next, split.length ? split : [piece]);
      });
      found = next;
    });
    return found;
  }

  // ``parts`` are the route's lines ([[lon, lat], ...] each), kept apart as the API keeps
  // them: each part is judged on its own and the kilometres summed.
  function checkRoute(parts, day, advisory) {
    day = day || today();
    advisory = advisory || bundle.default_advisory;
    var features = bundle.zones.features;
    var covered = parts.some(function (part) {
      return part.some(function (c) { return inside(bundle.coverage, turf.point(c)); });
    });
    var government = bundle.baseline.governments[advisory];
    var level = government ? onDay(government, day) : bundle.baseline.level;
    var lines = parts.filter(function (part) { return part.length > 1; }).map(function (part) { return turf.lineString(part); });
    var found = {}, order = [];
    features.forEach(function (feature) {
      var z = feature.properties;
      if (z.kind === "exception") { return; }
      var exceptions = features.filter(function (f) { return f.properties.parent === z.id; });
      var judged = [];
      lines.forEach(function (line) {
        if (!bboxesMeet(turf.bbox(line), feature.geometry.bbox)) { return; }
        pieces(line, [feature].concat(exceptions)).forEach(function (piece) {
          var km = turf.length(piece);
          if (km === 0) { return; }
          var middle = turf.along(piece, km / 2);
          if (!inside(feature.geometry, middle)) { return; }
          var excepted = exceptions.some(function (e) {
            return onDay(e.properties.statuses, day) === "in_force" && inside(e.geometry, middle);
          });
          judged.push({ km: km, excepted: excepted });
        });
      });
      if (!judged.length) { return; }
      covered = true;
      var shown = (z.counted_for.indexOf(advisory) >= 0 || z.counted_for[0] === null) &&
        (!z.is_advice || onDay(z.statuses, day) === "in_force");
      if (!shown) { return; }
      var insideKm = 0, exceptedKm = 0;
      judged.forEach(function (stretch, k) {
        var beside = [judged[k - 1], judged[k + 1]].some(function (n) { return n && n.excepted; });
        if (stretch.excepted || (stretch.km < bundle.sliver_km && beside)) { exceptedKm += stretch.km; }
        else { insideKm += stretch.km; }
      });
      var raises = insideKm > 0 && onDay(z.statuses, day) === "in_force";
      if (raises) { level = Math.max(level, z.level); }
      found[z.id] = { id: z.id, name: z.name, level: z.level, raises_level: raises,
        inside_km: insideKm, excepted_km: exceptedKm };
      order.push(z.id);
    });
    // The neighbours it reaches (a vertex outside Peru in one): the server checks those parts.
    var elsewhere = [];
    parts.forEach(function (part) {
      part.forEach(function (c) {
        var point = turf.point(c);
        if (inside(bundle.coverage, point)) { return; }
        (bundle.elsewhere || []).forEach(function (other) {
          if (elsewhere.indexOf(other.country) < 0 && inside(other.coverage, point)) { elsewhere.push(other.country); }
        });
      });
    });
    return {
      covered: covered,
      elsewhere: elsewhere,
      max_level: covered ? level : null,
      verdict: covered ? bundle.verdicts[String(level)] : "not_covered",
      length_km: lines.reduce(function (sum, line) { return sum + turf.length(line); }, 0),
      zones: order.map(function (id) { return found[id]; })
    };
  }

  // Places whose name starts with the query, ignoring case and accents (as /v1/places).
  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function search(query) {
    var wanted = fold(query.trim());
    return bundle.places.filter(function (p) { return fold(p[0]).indexOf(wanted) === 0; }).slice(0, 10)
      .map(function (p) { return { name: p[0], lon: p[1], lat: p[2], district: p[3], department: p[4] }; });
  }

  // The one kept place a stop's name means, as the server resolves it (geo/exports/offline.py
  // marks the place a bare name resolves to); "Name, Department" narrows it to one place of
  // that department, province or district. An airport by its IATA code. Null when the name
  // is ambiguous or unknown here: the server then decides.
  function lookup(query) {
    var text = String(query || "").trim();
    if (/^[A-Za-z]{3}$/.test(text) && bundle.airports[text.toUpperCase()]) {
      var airport = bundle.airports[text.toUpperCase()];
      return { name: text.toUpperCase(), lon: airport[0], lat: airport[1] };
    }
    var comma = text.indexOf(",");
    var name = fold(comma < 0 ? text : text.slice(0, comma)).trim();
    var qualifier = comma < 0 ? "" : fold(text.slice(comma + 1)).trim();
    var rows = bundle.places.filter(function (p) { return fold(p[0]) === name; });
    if (qualifier) {
      rows = rows.filter(function (p) { return [p[3], p[4], p[5]].some(function (v) { return fold(v) === qualifier; }); });
      var distinct = {};
      rows.forEach(function (p) { distinct[p[3] + "|" + p[1].toFixed(2) + "|" + p[2].toFixed(2)] = p; });
      rows = Object.keys(distinct).map(function (k) { return distinct[k]; });
    } else {
      rows = rows.filter(function (p) { return p[6] === 1; });
    }
    if (rows.length !== 1) { return null; }
    return { name: rows[0][0], lon: rows[0][1], lat: rows[0][2], district: rows[0][3], department: rows[0][4] };
  }

  var ready = fetch("/v1/offline")
    .then(function (response) { if (!response.ok) { throw new Error("no offline bundle"); } return response.json(); })
    .then(function (body) {
      // Each zone's box, so that point-in-polygon skips the zones far away; and each zone's
      // position by id, for exceptions' parents.
      // The zone's name in the page's language (the bundle carries every language's).
      var lang = document.documentElement.lang || "en";
      body.zones.features.forEach(function (feature, i) {
        feature.geometry.bbox = turf.bbox(feature);
        positions[feature.properties.id] = i;
        feature.properties.name = feature.properties.names[lang] || feature.properties.names.en;
      });
      body.coverage.bbox = turf.bbox(body.coverage);
      bundle = body;
      return body;
    });

  window.riskzonesOffline = {
    ready: ready,
    check: check,
    checkRoute: checkRoute,
    search: search,
    lookup: lookup,
    today: today,
    info: function () { return bundle ? bundle.pack : null; }
  };

  // The service worker keeps the page, its code and this bundle for use offline.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* the page still works online */ });
  }
})();
