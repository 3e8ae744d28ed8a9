/* Shows totals and rates under the report form's figures as the officer types. The server computes them by its
   own rules (the form's data-preview-url): this script only sends the figures and writes back what it gets, a
   moment after the typing stops. A guide only: the server checks everything again when the report is saved. */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form || !form.dataset.previewUrl) {
    return;
  }
  var timer = null;
  var inFlight = null;

  function show(levels) {
    levels.forEach(function (computed, level) {
      Object.keys(computed).forEach(function (name) {
        var output = form.querySelector('output[data-computed="' + name + '"][data-level="' + level + '"]');
        if (output) {
          output.textContent = computed[name];
        }
      });
    });
  }

  function refresh() {
    var query = new URLSearchParams();
    form.querySelectorAll("input[data-figure]").forEach(function (input) {
      query.append(input.name, input.value);
    });
    if (inFlight) {
      inFlight.abort();
    }
    inFlight = new AbortController();
    fetch(form.dataset.previewUrl + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: inFlight.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          show(data.levels);
        }
      })
      .catch(function () {
        // Aborted by newer typing, or offline: the rows keep what they showed.
      });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  });
  refresh();
})();
