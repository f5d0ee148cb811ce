// Report form: offer only the districts of the chosen regency and the villages of the chosen district
// (or, with no district, of the regency). Region codes nest: 61.71 > 61.71.01 > 61.71.01.1001.
(function () {
  "use strict";
  var region = document.getElementById("id_region");
  var district = document.getElementById("id_district");
  var village = document.getElementById("id_village");
  if (!district || !village) { return; }

  function regionCode() {
    return region ? region.value : (district.getAttribute("data-region") || "");
  }

  function keepUnder(select, prefix) {
    Array.prototype.forEach.call(select.options, function (option) {
      var fits = !option.value || !prefix || option.value.indexOf(prefix + ".") === 0;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) { select.value = ""; }
    });
  }

  function sync() {
    keepUnder(district, regionCode());
    keepUnder(village, district.value || regionCode());
  }

  if (region) { region.addEventListener("change", sync); }
  district.addEventListener("change", sync);
  sync();
}());
