// Route files read on this device, as geo.io.formats.read_route reads them on the server: the
// format from the content (the file name only a hint), the same parts and vertices, the same
// refusals (each with the server's code). The namespaces that count come from the server
// (ROUTE_FILE_RULES, in the offline bundle); tests/test_browser.py reads every file of the
// corpus both ways and compares them.
(function () {
  "use strict";
  var MAX_NESTING = 16, MAX_LINKED = 100;
  var KMZ = { entries: 1000, bytes: 64 * 1024 * 1024, ratio: 100, chunk: 1024 * 1024 };
  var LAT = ["lat", "latitude", "y"], LON = ["lon", "lng", "long", "longitude", "x"];
  var FEATURES = ["Document", "Folder", "Placemark", "NetworkLink", "GroundOverlay", "ScreenOverlay", "PhotoOverlay", "Tour"];

  function Refusal(code, message) { this.code = code; this.message = message; }
  function refuse(code, message) { throw new Refusal(code, message); }

  // Python's float() on text: a decimal or exponent number, inf or nan, spaces around.
  var NUMBER = /^\s*[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf(inity)?|nan)\s*$/i;
  function number(text) {
    if (text === null || !NUMBER.test(text)) { return null; }
    var t = text.trim().toLowerCase().replace(/^\+/, "");
    if (/^-?inf/.test(t)) { return t[0] === "-" ? -Infinity : Infinity; }
    if (/nan$/.test(t)) { return NaN; }
    return parseFloat(t);
  }

  function reading() { return { lines: [], waypoints: [], areas: 0, name: null, links: [] }; }

  // geo.io.reading.finish_reading and geo.io.formats._check_range.
  function finish(r, format, label) {
    var parts = r.lines.filter(function (l) { return l.length; });
    var empty = r.lines.length - parts.length, fromWaypoints = false, ignored = r.waypoints.length;
    if (!parts.length) {
      if (!r.waypoints.length) { refuse("no_route", label + ": the file has no route"); }
      parts = [r.waypoints]; fromWaypoints = true; ignored = 0;
    }
    parts.forEach(function (part) {
      part.forEach(function (p) {
        if (!isFinite(p[0]) || !isFinite(p[1]) || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
          refuse("bad_position", label + ": a position is out of range");
        }
      });
    });
    return { parts: parts, name: r.name, format: format, empty_parts_skipped: empty,
      waypoints_ignored: ignored, areas_ignored: r.areas, from_waypoints: fromWaypoints };
  }

  // Text ---------------------------------------------------------------------------------------

  function utf16(bytes) {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) { return "utf-16le"; }
    if (bytes[0] === 0xfe && bytes[1] === 0xff) { return "utf-16be"; }
    if (bytes.length > 1 && (bytes[0] === 0) !== (bytes[1] === 0)) { return bytes[0] === 0 ? "utf-16be" : "utf-16le"; }
    return null;
  }

  function head(bytes) {
    var slice = bytes.subarray(0, 4096);
    return new TextDecoder(utf16(slice) || "utf-8").decode(slice);
  }

  function utf8(bytes, label) {
    try { return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\ufeff/, ""); }
    catch (e) { return refuse("bad_type", label + ": not UTF-8 text"); }
  }

  // An XML document decoded as it declares (expat's encodings: UTF-8, UTF-16, Latin-1 ...).
  function xmlText(bytes) {
    var wide = utf16(bytes);
    if (wide) { return new TextDecoder(wide).decode(bytes); }
    var declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(new TextDecoder("latin1").decode(bytes.subarray(0, 200)));
    try { return new TextDecoder(declared ? declared[1] : "utf-8", { fatal: true }).decode(bytes); }
    catch (e) { return refuse("xml_syntax", "XML: not in the encoding it declares"); }
  }

  function unsupported(what) {
    return refuse("unsupported_format", what + " is not a route file this service reads");
  }

  // geo.io.formats.sniff_format
  function sniff(bytes, hint) {
    var b = bytes;
    if (b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6))) { return "kmz"; }
    if (b[0] === 0x1f && b[1] === 0x8b) { unsupported("a gzip-compressed file"); }
    if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) { unsupported("a PDF document"); }
    if (b[8] === 0x2e && b[9] === 0x46 && b[10] === 0x49 && b[11] === 0x54) { unsupported("a FIT activity file"); }
    var text = head(bytes).replace(/^[\ufeff \t\r\n]+/, "");
    if (text[0] === "<") {
      if (/^(<\?xml[^>]*\?>\s*(<!--[\s\S]*?-->\s*)*)?<!DOCTYPE/.test(text)) { return hint === "kml" ? "kml" : "gpx"; }
      var root = /<(?![?!])(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)/.exec(text.replace(/<!--[\s\S]*?-->/g, ""));
      var local = root ? root[1] : "";
      if (local === "gpx" || local === "kml") { return local; }
      unsupported(local === "TrainingCenterDatabase" ? "a TCX file" : "an XML document with root <" + (local || "?") + ">");
    }
    var trimmed = text.trim();
    if (/^[{["]/.test(text) || trimmed === "null" || trimmed === "true" || trimmed === "false") { return "geojson"; }
    var first = text.split("\n", 1)[0].trim();
    if (hint === "csv" || csvHeader(first)) { return "csv"; }
    if (trimmed.length >= 4 && !/[^?-~]/.test(trimmed) && trimmed.indexOf("\n") < 0) {
      refuse("polyline_text", "this looks like an encoded polyline sent as bare text");
    }
    if (!trimmed) { refuse("no_route", "the route is empty"); }
    return unsupported("text");
  }

  // XML ----------------------------------------------------------------------------------------

  function parseXml(bytes, label) {
    var text = xmlText(bytes);
    if (/^(\ufeff)?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<!DOCTYPE/.test(text)) {
      refuse("refused_dtd", label + ": refused: the document declares a DTD or entities");
    }
    var doc = new DOMParser().parseFromString(text.replace(/^\ufeff/, ""), "application/xml");
    if (doc.getElementsByTagName("parsererror").length) { refuse("xml_syntax", label + ": the XML is not well formed"); }
    return doc.documentElement;
  }

  function ns(element) { return element.namespaceURI || ""; }

  function readGpx(bytes, rules) {
    var root = parseXml(bytes, "GPX"), own = ns(root), r = reading(), current = null, named = false;
    if (root.localName !== "gpx" || rules.gpx_namespaces.indexOf(own) < 0) { unsupported("GPX root"); }
    function position(el) {
      var lat = el.getAttribute("lat"), lon = el.getAttribute("lon");
      if (lat === null || lon === null) { refuse("bad_position", "GPX: <" + el.localName + "> needs lat and lon attributes"); }
      var y = number(lat), x = number(lon);
      if (x === null || y === null) { refuse("bad_position", "GPX: lat or lon is not a number"); }
      return [x, y];
    }
    (function walk(parent) {
      for (var el = parent.firstElementChild; el; el = el.nextElementSibling) {
        if (ns(el) !== own) { walk(el); continue; }  // another namespace: not GPX itself
        var local = el.localName;
        if (local === "extensions") { continue; }  // nothing inside counts
        if (local === "trkseg" || local === "rte") { current = []; r.lines.push(current); }
        if ((local === "trk" || local === "rte") && !named) {
          var child = el.firstElementChild;
          if (child && ns(child) === own && child.localName === "name" && child.textContent !== "") {
            r.name = child.textContent.trim() || null; named = true;
          }
        }
        if (local === "trkpt" || local === "rtept") { if (current) { current.push(position(el)); } continue; }
        if (local === "wpt") { r.waypoints.push(position(el)); continue; }
        walk(el);
      }
    })(root);
    return r;
  }

  function kmlTuples(text, track) {
    var values;
    if (!track) {
      var tuples = text.split(/\s+/).filter(Boolean);
      var widths = {};
      tuples.forEach(function (t) { widths[t.split(",").length] = true; });
      values = tuples.map(function (t) { return t.split(","); });
      var keys = Object.keys(widths);
      if (keys.length === 1 && (keys[0] === "2" || keys[0] === "3")) {
        values.forEach(function (v) { v.forEach(function (s) { if (number(s) === null) { throw new Error(); } }); });
      }
    } else {
      values = text.split("|").filter(function (t) { return t.trim(); }).map(function (t) { return t.trim().split(/\s+/); });
    }
    return values.map(function (v) {
      var x = number(v[0]), y = v.length > 1 ? number(v[1]) : null;
      if (x === null || y === null) { throw new Error(); }
      return [x, y];
    });
  }

  function readKml(bytes, rules) {
    var root = parseXml(bytes, "KML"), own = ns(root), r = reading();
    if (root.localName !== "kml" || rules.kml_namespaces.indexOf(own) < 0) { unsupported("KML root"); }
    var lastFeature = null;
    for (var f = root.firstElementChild; f; f = f.nextElementSibling) { if (FEATURES.indexOf(f.localName) >= 0) { lastFeature = f; } }
    var tracksIn = [rules.gx_namespace].concat(own === rules.kml_namespaces[0] ? [own] : []);
    function isOwn(el, local) { return ns(el) === own && el.localName === local; }
    function isTrack(el, local) { return tracksIn.indexOf(ns(el)) >= 0 && el.localName === local; }
    function coordinates(el, kind) {
      for (var c = el.firstElementChild; c; c = c.nextElementSibling) {
        if (!isOwn(c, "coordinates")) { continue; }
        var values;
        try { values = kmlTuples(c.textContent, false); } catch (e) { refuse("bad_position", "KML: coordinates must be 'lon,lat[,alt]' tuples, in numbers"); }
        if (kind === "point") { Array.prototype.push.apply(r.waypoints, values); } else { r.lines.push(values); }
      }
    }
    (function walk(parent, top, placemark) {
      for (var el = parent.firstElementChild; el; el = el.nextElementSibling) {
        // <kml> holds one feature; of several, the last is read (as GDAL reads them).
        if (top && FEATURES.indexOf(el.localName) >= 0 && el !== lastFeature) { continue; }
        var parentOk = parent !== root && (isOwn(parent, "Placemark") || isOwn(parent, "MultiGeometry") || isTrack(parent, "MultiTrack"));
        if (placemark && (isOwn(el, "Polygon") || isOwn(el, "LinearRing"))) { r.areas += 1; continue; }
        if (placemark && isOwn(el, "LineString")) { coordinates(el, "line"); continue; }
        if (placemark && isOwn(el, "Point")) { coordinates(el, "point"); continue; }
        if (isTrack(el, "Track")) {
          if (parentOk) {
            var text = "";
            for (var c = el.firstElementChild; c; c = c.nextElementSibling) { if (isTrack(c, "coord")) { text += "|" + c.textContent; } }
            try { r.lines.push(kmlTuples(text, true)); } catch (e) { refuse("bad_position", "KML: coordinates must be 'lon lat [alt]' tuples, in numbers"); }
          }
          continue;
        }
        if (isOwn(el, "NetworkLink")) {
          el.querySelectorAll("*").forEach(function (h) { if (isOwn(h, "href")) { r.links.push(h.textContent.trim()); } });
          continue;
        }
        walk(el, false, placemark || isOwn(el, "Placemark"));
      }
    })(root, true, false);
    return r;
  }

  // KMZ: the ZIP's central directory read here, entries inflated by the browser.
  function readZip(bytes) {
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), end = -1;
    for (var i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i--) {
      if (view.getUint32(i, true) === 0x06054b50) { end = i; break; }
    }
    if (end < 0) { refuse("unsupported_format", "KMZ: not a readable ZIP archive"); }
    var count = view.getUint16(end + 10, true), at = view.getUint32(end + 16, true), entries = {}, order = [];
    if (count > KMZ.entries) { refuse("archive_limit", "KMZ: too many entries"); }
    for (var k = 0; k < count; k++) {
      if (view.getUint32(at, true) !== 0x02014b50) { refuse("unsupported_format", "KMZ: not a readable ZIP archive"); }
      var nameLength = view.getUint16(at + 28, true), extra = view.getUint16(at + 30, true), comment = view.getUint16(at + 32, true);
      var name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
      var entry = { name: name, flags: view.getUint16(at + 8, true), method: view.getUint16(at + 10, true),
        packed: view.getUint32(at + 20, true), size: view.getUint32(at + 24, true), offset: view.getUint32(at + 42, true) };
      if (!/\/$/.test(name)) { entries[name] = entry; order.push(entry); }
      at += 46 + nameLength + extra + comment;
    }
    return { entries: entries, order: order, left: KMZ.bytes, bytes: bytes, view: view };
  }

  function unpack(zip, entry) {
    if (entry.flags & 1) { refuse("archive_limit", "KMZ: the entry is encrypted"); }
    if (entry.size > zip.left) { refuse("archive_limit", "KMZ: the KML unpacks to more than the limit"); }
    if (entry.size > KMZ.chunk && entry.size > KMZ.ratio * Math.max(entry.packed, 1)) { refuse("archive_limit", "KMZ: a zip bomb, not a KML"); }
    var local = entry.offset, view = zip.view;
    var start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    var data = zip.bytes.subarray(start, start + entry.packed);
    if (entry.method === 0) { return Promise.resolve(data); }
    if (entry.method !== 8) { refuse("unsupported_format", "KMZ: the entry cannot be unpacked"); }
    var cap = Math.min(zip.left, KMZ.ratio * Math.max(entry.packed, 1) + KMZ.chunk);
    var reader = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
    var chunks = [], total = 0;
    function pump() {
      return reader.read().then(function (step) {
        if (step.done) {
          var out = new Uint8Array(total), o = 0;
          chunks.forEach(function (c) { out.set(c, o); o += c.length; });
          zip.left -= total;
          return out;
        }
        total += step.value.length;
        if (total > cap) { reader.cancel(); refuse("archive_limit", "KMZ: the KML unpacks to more than the limit"); }
        chunks.push(step.value);
        return pump();
      });
    }
    return pump().catch(function (e) { if (e instanceof Refusal) { throw e; } refuse("unsupported_format", "KMZ: the entry cannot be unpacked"); });
  }

  function readKmz(bytes, rules) {
    var zip = readZip(bytes);
    var kml = zip.order.filter(function (e) { return /\.kml$/i.test(e.name); });
    if (!kml.length) { refuse("unsupported_format", "KMZ: the archive holds no .kml document"); }
    var main = kml.filter(function (e) { return e.name.toLowerCase() === "doc.kml"; })[0] || kml[0];
    var done = {}; done[main.name] = true;
    function linked(source, href) {
      var target = href.trim();
      if (!target || target.indexOf("://") >= 0 || /^[\/\\]/.test(target) || target.split("/")[0].indexOf(":") >= 0) { return null; }
      var parts = source.split("/").slice(0, -1).concat(target.split("/")), out = [];
      parts.forEach(function (p) { if (p === "..") { out.length ? out.pop() : out.push(".."); } else if (p && p !== ".") { out.push(p); } });
      var name = out.join("/");
      return out[0] !== ".." && zip.entries[name] && /\.kml$/i.test(name) ? name : null;
    }
    return unpack(zip, main).then(function (data) {
      var r = readKml(data, rules), queue = r.links.map(function (h) { return [main.name, h]; });
      function next() {
        if (!queue.length || Object.keys(done).length > MAX_LINKED) { return r; }
        var item = queue.shift(), name = linked(item[0], item[1]);
        if (!name || done[name]) { return next(); }
        done[name] = true;
        return unpack(zip, zip.entries[name]).then(function (more) {
          var other = readKml(more, rules);
          Array.prototype.push.apply(r.lines, other.lines);
          Array.prototype.push.apply(r.waypoints, other.waypoints);
          r.areas += other.areas; r.name = r.name || other.name;
          other.links.forEach(function (h) { queue.push([name, h]); });
          return next();
        });
      }
      return next();
    });
  }

  // GeoJSON (geo.io.geojson_routes) -----------------------------------------------------------

  var LINES = ["LineString", "MultiLineString"], POINTS = ["Point", "MultiPoint"], AREAS = ["Polygon", "MultiPolygon"];
  var GEOMETRIES = LINES.concat(POINTS, AREAS, ["GeometryCollection"]);
  var TYPES = GEOMETRIES.concat(["Feature", "FeatureCollection"]);
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function fault(where, problem, code) { refuse(code || "bad_type", "GeoJSON " + where + ": " + problem); }

  function position(p, where) {
    if (!Array.isArray(p)) { fault(where, "expected a position [lon, lat]", "bad_position"); }
    if (p.length < 2) { fault(where, "a position needs at least lon and lat", "bad_position"); }
    p.forEach(function (v, j) { if (typeof v !== "number") { fault(where + "[" + j + "]", "a coordinate is a number", "bad_position"); } });
    return [p[0], p[1]];
  }
  function line(value, where) {
    if (!Array.isArray(value)) { fault(where, "expected a list of [lon, lat] positions"); }
    return value.map(function (p, i) { return position(p, where + "[" + i + "]"); });
  }

  function readGeojson(doc) {
    var r = reading();
    function name(d) { var p = isObject(d) ? d.properties : null; return isObject(p) && p.name !== undefined && p.name !== null ? String(p.name) : null; }
    r.name = name(doc);
    (function read(d, where, allowed, depth) {
      if (!isObject(d)) { fault(where, "expected a GeoJSON object"); }
      if (allowed.indexOf(d.type) < 0) { fault(where, "not a GeoJSON type that can stand here"); }
      var kind = d.type;
      if (kind === "FeatureCollection") {
        if (!Array.isArray(d.features)) { fault(where + ".features", "expected a list of features"); }
        d.features.forEach(function (f, i) { read(f, where + ".features[" + i + "]", ["Feature"], depth); });
        return;
      }
      if (kind === "Feature") {
        if (!("geometry" in d)) { fault(where, "a Feature needs a \"geometry\" member"); }
        if (d.geometry !== null) { read(d.geometry, where + ".geometry", GEOMETRIES, depth); }
        return;
      }
      if (kind === "GeometryCollection") {
        if (!Array.isArray(d.geometries)) { fault(where + ".geometries", "expected a list of geometries"); }
        if (depth >= MAX_NESTING) { fault(where, "GeometryCollections are nested too deeply"); }
        d.geometries.forEach(function (g, i) { read(g, where + ".geometries[" + i + "]", GEOMETRIES, depth + 1); });
        return;
      }
      var at = where + ".coordinates", c = d.coordinates;
      if (!Array.isArray(c)) { fault(at, "expected a list"); }
      if (kind === "LineString") { r.lines.push(line(c, at)); }
      else if (kind === "MultiLineString") { c.forEach(function (l, i) { r.lines.push(line(l, at + "[" + i + "]")); }); }
      else if (kind === "Point") { if (c.length) { r.waypoints.push(position(c, at)); } }
      else if (kind === "MultiPoint") { Array.prototype.push.apply(r.waypoints, line(c, at)); }
      else { r.areas += 1; }
    })(doc, "$", TYPES, 0);
    if (r.name === null && isObject(doc) && Array.isArray(doc.features)) {
      var first = doc.features.filter(function (f) { return isObject(f) && isObject(f.geometry) && LINES.indexOf(f.geometry.type) >= 0; })[0];
      r.name = first ? name(first) : null;
    }
    return r;
  }

  // Encoded polyline (Google's algorithm) and CSV ---------------------------------------------

  function readPolyline(doc) {
    var text = doc.polyline, precision = doc.precision === undefined ? 5 : doc.precision;
    if (typeof text !== "string" || !text) { refuse("bad_type", "polyline: send a JSON object with \"polyline\""); }
    if (precision !== 5 && precision !== 6) { refuse("bad_type", "polyline: precision must be 5 or 6"); }
    if (/[^?-~]/.test(text)) { refuse("bad_position", "polyline: a character cannot occur in an encoded polyline"); }
    var factor = Math.pow(10, precision), i = 0, lat = 0, lon = 0, out = [];
    function value() {
      var shift = 0, result = 0, b;
      do {
        if (i >= text.length) { refuse("bad_position", "polyline: the encoding is truncated or corrupt"); }
        b = text.charCodeAt(i++) - 63; result |= (b & 0x1f) << shift; shift += 5;
      } while (b >= 0x20);
      return result & 1 ? ~(result >> 1) : result >> 1;
    }
    while (i < text.length) { lat += value(); lon += value(); out.push([lon / factor, lat / factor]); }
    var r = reading(); r.lines.push(out); return r;
  }

  // RFC 4180 rows, as Python's csv module reads them (quotes, doubled quotes, CRLF).
  function csvRows(text) {
    var rows = [], row = [], field = "", quoted = false, i = 0;
    for (; i < text.length; i++) {
      var ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') { quoted = false; } else { field += ch; }
      } else if (ch === '"' && field === "") { quoted = true; }
      else if (ch === ",") { row.push(field); field = ""; }
      else if (ch === "\n" || ch === "\r") { if (ch === "\r" && text[i + 1] === "\n") { i++; } row.push(field); rows.push(row); row = []; field = ""; }
      else { field += ch; }
    }
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows.filter(function (r) { return r.length > 1 || r[0] !== ""; });
  }
  function csvHeader(first) {
    var names = csvRows(first)[0] || [], folded = names.map(function (n) { return n.trim().toLowerCase(); });
    return folded.some(function (n) { return LAT.indexOf(n) >= 0; }) && folded.some(function (n) { return LON.indexOf(n) >= 0; });
  }
  function readCsv(text) {
    var rows = csvRows(text), header = rows.shift() || [], folded = header.map(function (n) { return n.trim().toLowerCase(); });
    function column(names) { for (var k = 0; k < names.length; k++) { var at = folded.indexOf(names[k]); if (at >= 0) { return at; } } return -1; }
    var y = column(LAT), x = column(LON), r = reading();
    if (y < 0 || x < 0) { refuse("bad_type", "CSV: no latitude and longitude columns"); }
    rows.forEach(function (row) {
      var lon = number(row[x] === undefined ? null : row[x]), lat = number(row[y] === undefined ? null : row[y]);
      if (lon === null || lat === null) { refuse("bad_position", "CSV: lat, lon are not numbers"); }
      r.waypoints.push([lon, lat]);
    });
    return r;
  }

  // geo.io.formats.read_route ------------------------------------------------------------------

  var LABELS = { geojson: "GeoJSON", gpx: "GPX", kml: "KML", kmz: "KMZ", polyline: "polyline", csv: "CSV" };
  var SUFFIXES = { gpx: "gpx", kml: "kml", kmz: "kmz", csv: "csv", geojson: "geojson", json: "geojson" };

  function read(bytes, name, rules) {
    return Promise.resolve().then(function () {
      var suffix = (name || "").toLowerCase().split(".").pop();
      var format = sniff(bytes, SUFFIXES[suffix] || null);
      if (format === "kmz") { return readKmz(bytes, rules).then(function (r) { return finish(r, "kmz", "KMZ"); }); }
      if (format === "gpx") { return finish(readGpx(bytes, rules), "gpx", "GPX"); }
      if (format === "kml") { return finish(readKml(bytes, rules), "kml", "KML"); }
      if (format === "csv") { return finish(readCsv(utf8(bytes, "CSV")), "csv", "CSV"); }
      var doc;
      try { doc = JSON.parse(utf8(bytes, "GeoJSON")); } catch (e) { if (e instanceof Refusal) { throw e; } refuse("json_syntax", "the route is not valid JSON"); }
      if (isObject(doc) && "polyline" in doc && !("type" in doc)) { return finish(readPolyline(doc), "polyline", LABELS.polyline); }
      return finish(readGeojson(doc), "geojson", "GeoJSON");
    });
  }

  window.riskzonesRouteFiles = { read: read, Refusal: Refusal };
})();
