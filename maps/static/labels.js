// The names of the map's offline base layer (maps/risk_map.py: _labels): the neighbouring
// countries, Peru's departments, the lakes and its towns, more of them as one zooms in. Drawn
// as Leaflet tooltips on invisible points in the base pane: text only, set with textContent
// by Leaflet, never clickable. A name that would overlap one drawn before it is hidden; the
// order is countries, lakes, towns of 50,000 or more, departments, then the other towns by
// size.
(function () {
  "use strict";
  var map = window.riskzonesMap;
  var names = window.riskzonesLabels;
  if (!map || !names) { return; }
  // From what zoom a town of this many people is named.
  function townZoom(population) {
    if (population >= 200000) { return 5; }
    if (population >= 50000) { return 7; }
    if (population >= 15000) { return 8; }
    return 9;
  }
  var groups = {};
  var ordered = [];  // every label, in the order they claim space
  function group(zoom) {
    if (!groups[zoom]) { groups[zoom] = L.layerGroup(); }
    return groups[zoom];
  }
  function label(text, lat, lon, className, zoom) {
    var anchor = L.circleMarker([lat, lon], { radius: className === "rz-label-town" ? 2 : 0, weight: 1, color: "#333",
      fillColor: "#333", fillOpacity: 1, interactive: false, pane: "rz-base" });
    var node = document.createElement("span");
    node.textContent = text;  // a node, not a string: Leaflet would read a string as HTML
    anchor.bindTooltip(node, { permanent: true, direction: className === "rz-label-town" ? "right" : "center",
      className: "rz-label " + className, interactive: false, opacity: 1 });
    group(zoom).addLayer(anchor);
    ordered.push(anchor);
  }
  var big = names.towns.filter(function (t) { return t[3] >= 50000; });
  var small = names.towns.filter(function (t) { return t[3] < 50000; });
  names.countries.forEach(function (c) { label(c[0], c[1], c[2], "rz-label-country", 4); });
  (names.lakes || []).forEach(function (l) { label(l[0], l[1], l[2], "rz-label-lake", 6); });
  big.forEach(function (t) { label(t[0], t[1], t[2], "rz-label-town", townZoom(t[3])); });
  names.departments.forEach(function (d) { label(d[0], d[1], d[2], "rz-label-department", 7); });
  small.forEach(function (t) { label(t[0], t[1], t[2], "rz-label-town", townZoom(t[3])); });
  // Hide each name that overlaps one kept before it: all writes, then all reads (one layout),
  // then the hiding.
  function declutter() {
    var shown = ordered.filter(function (a) { return map.hasLayer(a) && a.getTooltip().getElement(); });
    var nodes = shown.map(function (a) { return a.getTooltip().getElement(); });
    nodes.forEach(function (node) { node.style.visibility = ""; });
    var boxes = nodes.map(function (node) { return node.getBoundingClientRect(); });
    var kept = [];
    boxes.forEach(function (box, i) {
      var clash = kept.some(function (k) { return box.left < k.right && box.right > k.left && box.top < k.bottom && box.bottom > k.top; });
      if (clash) { nodes[i].style.visibility = "hidden"; } else { kept.push(box); }
    });
  }
  function update() {
    var zoom = map.getZoom();
    Object.keys(groups).forEach(function (z) {
      var shown = map.hasLayer(groups[z]);
      if (zoom >= Number(z) && !shown) { groups[z].addTo(map); }
      if (zoom < Number(z) && shown) { map.removeLayer(groups[z]); }
    });
  }
  map.on("zoomend", update);
  map.on("moveend", declutter);
  update();
  declutter();
})();
