// The names of the map's offline base layer (maps/risk_map.py: _labels): the neighbouring
// countries, Peru's departments and its towns, more of them as one zooms in. Drawn as
// Leaflet tooltips on invisible points in the base pane: text only, set with textContent by
// Leaflet, never clickable.
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
  }
  names.countries.forEach(function (c) { label(c[0], c[1], c[2], "rz-label-country", 4); });
  names.departments.forEach(function (d) { label(d[0], d[1], d[2], "rz-label-department", 7); });
  names.towns.forEach(function (t) { label(t[0], t[1], t[2], "rz-label-town", townZoom(t[3])); });
  function update() {
    var zoom = map.getZoom();
    Object.keys(groups).forEach(function (z) {
      var shown = map.hasLayer(groups[z]);
      if (zoom >= Number(z) && !shown) { groups[z].addTo(map); }
      if (zoom < Number(z) && shown) { map.removeLayer(groups[z]); }
    });
  }
  map.on("zoomend", update);
  update();
})();
