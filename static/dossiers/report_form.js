/* Shows totals and rates under the report form's figures as the officer types. A guide only: the server
   recomputes and checks everything when the report is saved. */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  var locale = (document.documentElement.lang || "vi").indexOf("vi") === 0 ? "vi-VN" : "en-GB";
  var whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  var percent = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function value(level, code) {
    var input = form.querySelector('input[data-level="' + level + '"][data-figure="' + code + '"]');
    if (!input) {
      return null;
    }
    var text = input.value.trim().replace(/[. ]/g, "");
    return /^\d+$/.test(text) ? parseInt(text, 10) : null;
  }

  function rate(numerator, denominator) {
    if (numerator === null || denominator === null || denominator === 0) {
      return "—";
    }
    // The rule of cchc/indicators.py's rate(): half up to hundredths, but never 100,00 % below 100 % nor
    // 0,00 % above 0, so that one late dossier stays visible.
    var hundredths = Math.floor((numerator * 20000 + denominator) / (2 * denominator));
    if (hundredths >= 10000 && numerator < denominator) {
      hundredths = 9999;
    }
    if (hundredths === 0 && numerator > 0) {
      hundredths = 1;
    }
    return percent.format(hundredths / 100) + "%";
  }

  function show(level, name, text) {
    var output = form.querySelector('output[data-computed="' + name + '"][data-level="' + level + '"]');
    if (output) {
      output.textContent = text;
    }
  }

  function update() {
    var levels = form.querySelectorAll('output[data-computed="to_handle"]').length;
    for (var level = 0; level < levels; level++) {
      var carried = value(level, "carried_over");
      var received = value(level, "received");
      var resolved = value(level, "resolved");
      var returned = value(level, "returned") || 0;
      var toHandle = carried !== null && received !== null ? carried + received : null;
      show(level, "to_handle", toHandle === null ? "—" : whole.format(toHandle));
      show(level, "on_time_rate", rate(value(level, "resolved_in_time"), resolved));
      show(level, "online_rate", rate(value(level, "received_online"), received));
      show(level, "pending", toHandle === null || resolved === null ? "—" : whole.format(toHandle - resolved - returned));
    }
  }

  form.addEventListener("input", update);
  update();
})();
