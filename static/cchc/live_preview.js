/* Figures the server computes while the user types. A form with data-preview-url sends its inputs marked
   data-preview (name=value) a moment after the typing stops, and writes the answer's cells ({"cells": {key:
   text}}) into the elements marked data-preview-cell="key". No arithmetic here: the server's own rules compute
   (the report form's totals and rates, the self-assessment's points), and check everything again on saving. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-preview-url]").forEach(function (form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-preview]"));
    if (!inputs.length) {
      return;
    }
    var timer = null;
    var inFlight = null;

    function show(cells) {
      document.querySelectorAll("[data-preview-cell]").forEach(function (cell) {
        var text = cells[cell.dataset.previewCell];
        if (text !== undefined) {
          cell.textContent = text;
        }
      });
    }

    function refresh() {
      var query = new URLSearchParams();
      inputs.forEach(function (input) {
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
            show(data.cells);
          }
        })
        .catch(function () {
          // Aborted by newer typing, or offline: the cells keep what they showed.
        });
    }

    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    });
    // Whatever was typed before this script ran (a slow connection), or saved, shows at once.
    refresh();
  });
})();
