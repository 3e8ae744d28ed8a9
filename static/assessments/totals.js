// Running totals of a self-assessment while the officer types: each area's and criterion's points over its
// maximum, and the overall total. The server adds and writes them by its own rules (the form's
// data-totals-url): this script only sends the points as typed and writes back what it gets, a moment after the
// typing stops.
(function () {
  "use strict";
  const form = document.querySelector("[data-testid='assessment-form']");
  if (!form || !form.dataset.totalsUrl) return;
  const inputs = Array.from(form.querySelectorAll("input[data-points-code]"));
  if (!inputs.length) return;
  let timer = null;
  let inFlight = null;

  function show(cells) {
    document.querySelectorAll("[data-total-of]").forEach(function (cell) {
      const text = cells[cell.dataset.totalOf];
      if (text !== undefined) cell.textContent = text;
    });
  }

  function refresh() {
    const query = new URLSearchParams();
    inputs.forEach(function (input) {
      query.append(input.name, input.value);
    });
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    fetch(form.dataset.totalsUrl + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: inFlight.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) show(data.cells);
      })
      .catch(function () {
        // Aborted by newer typing, or offline: the cells keep what they showed.
      });
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    });
  });
  // Whatever was typed before this script ran (a slow connection) counts too.
  refresh();
})();
