// Binds each zone's popup and tooltip from its GeoJSON properties. The popup HTML is built
// (and escaped) by the server; nothing here interpolates user input.
(function () {
  "use strict";
  var map = window.riskzonesMap;
  function bind(layer) {
    var props = layer && layer.feature && layer.feature.properties;
    if (!props || !props.popup || layer.getPopup()) { return; }
    layer.bindPopup(props.popup, { maxWidth: 360 });
    layer.bindTooltip(props.tooltip, { sticky: true });
  }
  map.eachLayer(bind);
  map.on("layeradd", function (event) { bind(event.layer); });
})();
