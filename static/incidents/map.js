/* The incidents map: markers come from the page's data-markers-url (filtered like the list).
   Markers are SVG circles drawn by Leaflet itself, so they show even when the tile server cannot be
   reached (closed networks, tests); a plain table lists the same points below the map. */
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || typeof L === "undefined") { return; }
  var b = (el.dataset.bounds || "-3.3,108,2.3,114.4").split(",").map(Number);
  var bounds = L.latLngBounds([b[0], b[1]], [b[2], b[3]]);
  var map = L.map(el, { preferCanvas: false }).fitBounds(bounds);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  var status = document.getElementById("map-status");
  var tbody = document.querySelector("#map-list tbody");

  function text(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }

  function popup(m) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.appendChild(text("strong", m.label));
    box.appendChild(document.createElement("br"));
    box.appendChild(text("span", m.title));
    box.appendChild(document.createElement("br"));
    var meta = m.type === "incident"
      ? m.date + " · " + m.region + " · " + m.status_label + (m.deaths ? " · " + m.deaths + " " + el.dataset.labelDeaths : "")
      : el.dataset.labelPotential + " · " + m.region;
    box.appendChild(text("small", meta));
    box.appendChild(document.createElement("br"));
    var link = text("a", el.dataset.labelOpen);
    link.href = m.url;
    box.appendChild(link);
    return box;
  }

  function row(m) {
    var tr = document.createElement("tr");
    tr.dataset.marker = m.type + "-" + m.id;
    var first = document.createElement("td");
    var link = text("a", m.label);
    link.href = m.url;
    first.appendChild(link);
    tr.appendChild(first);
    tr.appendChild(text("td", m.type === "incident" ? el.dataset.labelIncident : el.dataset.labelPotential));
    tr.appendChild(text("td", m.title));
    tr.appendChild(text("td", m.region));
    return tr;
  }

  fetch(el.dataset.markersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var markers = data.markers || [];
      markers.forEach(function (m) {
        var isIncident = m.type === "incident";
        var marker = L.circleMarker([m.lat, m.lng], {
          radius: isIncident ? 7 + Math.min(m.deaths || 0, 8) : 8,
          color: isIncident ? "#b3261e" : "#a05a00",
          fillColor: isIncident ? "#e4572e" : "#f2b134",
          fillOpacity: 0.85,
          weight: 2,
          className: "marker marker-" + m.type + " marker-id-" + m.type + "-" + m.id
        }).addTo(map);
        marker.bindPopup(popup(m));
        tbody.appendChild(row(m));
      });
      status.textContent = markers.length + " \u00b7 " + el.dataset.labelIncident + " / " + el.dataset.labelPotential;
      el.dataset.loaded = String(markers.length);
    })
    .catch(function () { status.textContent = "\u26a0"; el.dataset.loaded = "error"; });
}());
