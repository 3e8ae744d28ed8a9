// Running totals of a self-assessment while the officer types: each area's and criterion's points over its
// maximum, and the overall total. The server computes the same totals when the page is saved; this only
// saves a round trip. Points are read as people write them (1,5 or 1.5); a blank or unreadable box counts 0.
(function () {
  "use strict";
  const form = document.querySelector("[data-testid='assessment-form']");
  if (!form) return;
  const inputs = Array.from(form.querySelectorAll("input[data-points-code]"));
  if (!inputs.length) return;

  function read(input) {
    const value = parseFloat(input.value.replace(",", "."));
    return Number.isFinite(value) && value >= 0 ? value : null;
  }

  function shown(value) {
    return (Math.round(value * 100) / 100).toString().replace(".", ",");
  }

  function update() {
    document.querySelectorAll("[data-total-of]").forEach(function (cell) {
      const code = cell.dataset.totalOf;
      let sum = 0;
      let any = false;
      inputs.forEach(function (input) {
        const leaf = input.dataset.pointsCode;
        if (code === "" || leaf === code || leaf.startsWith(code + ".")) {
          const value = read(input);
          if (value !== null) {
            sum += value;
            any = true;
          }
        }
      });
      cell.textContent = (any ? shown(sum) : "—") + " / " + cell.dataset.max;
    });
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", update);
  });
  // Whatever was typed before this script ran (a slow connection) counts too.
  update();
})();
