// Activity form: offer only the sub-types of the chosen strategy (values start with "<strategy>_").
(function () {
  "use strict";
  var strategy = document.getElementById("id_strategy");
  var subType = document.getElementById("id_sub_type");
  if (!strategy || !subType) { return; }
  function sync() {
    var prefix = strategy.value + "_";
    Array.prototype.forEach.call(subType.options, function (option) {
      var fits = !option.value || !strategy.value || option.value.indexOf(prefix) === 0;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) { subType.value = ""; }
    });
  }
  strategy.addEventListener("change", sync);
  sync();
}());
