/* Draws the dashboard's charts from their JSON views, and writes each chart's numbers as a table for
   screen readers. Loaded as a file (no inline script), so a Content-Security-Policy need not allow any. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "vi";
  var locale = lang.indexOf("vi") === 0 ? "vi-VN" : "en-GB";
  var numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });

  // Each value as the server writes it (the JSON's "shown"): the script never rounds or formats a figure.
  function shown(data, datasetIndex, index) {
    return data.shown[datasetIndex][index];
  }

  function fallbackTable(figure, data) {
    var caption = figure.querySelector(".chart-fallback");
    if (!caption) {
      return;
    }
    var table = document.createElement("table");
    var title = document.createElement("caption");
    title.textContent = data.title;
    table.appendChild(title);
    var head = table.createTHead().insertRow();
    var corner = document.createElement("th");
    corner.textContent = data.axes.x;
    head.appendChild(corner);
    data.datasets.forEach(function (dataset) {
      var th = document.createElement("th");
      th.textContent = dataset.label;
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.labels.forEach(function (label, index) {
      var row = body.insertRow();
      var th = document.createElement("th");
      th.textContent = label;
      row.appendChild(th);
      data.datasets.forEach(function (dataset, datasetIndex) {
        row.insertCell().textContent = shown(data, datasetIndex, index);
      });
    });
    caption.replaceChildren(table);
  }

  function say(figure, text, state) {
    var status = figure.querySelector(".chart-status");
    if (!status) {
      return;
    }
    status.textContent = text || "";
    status.hidden = !text;
    status.dataset.state = state;
  }

  function hasValues(data) {
    return (
      data.labels.length > 0 &&
      data.datasets.some(function (dataset) {
        return dataset.data.some(function (value) {
          return value !== null && value !== undefined && value !== 0;
        });
      })
    );
  }

  function draw(canvas) {
    var figure = canvas.closest("figure");
    // The JSON takes a moment on a large province: say so instead of showing an empty box.
    say(figure, canvas.dataset.loadingText, "loading");
    fetch(canvas.dataset.chartUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (!hasValues(data)) {
          // No figures: a sentence, not empty axes with a y-axis of "1 1 1 0 0".
          canvas.hidden = true;
          canvas.dataset.drawn = "empty";
          say(figure, canvas.dataset.emptyText, "empty");
          return;
        }
        say(figure, "", "drawn");
        // A sparse series (a quarter here and there) is drawn as points joined across the gaps.
        data.datasets.forEach(function (dataset) {
          dataset.spanGaps = true;
          dataset.pointRadius = 4;
        });
        var axisTitle = function (text) {
          return { display: true, text: text };
        };
        new window.Chart(canvas, {
          type: data.type,
          data: { labels: data.labels, datasets: data.datasets },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            locale: locale,
            animation: false,
            plugins: {
              title: { display: true, text: data.title },
              tooltip: {
                callbacks: {
                  label: function (context) {
                    return context.dataset.label + ": " + shown(data, context.datasetIndex, context.dataIndex);
                  },
                },
              },
            },
            scales: {
              x: { stacked: data.stacked, title: axisTitle(data.axes.x) },
              y: {
                stacked: data.stacked,
                beginAtZero: true,
                suggestedMax: data.percent ? 100 : undefined,
                title: axisTitle(data.axes.y),
                ticks: {
                  precision: 0,
                  callback: function (value) {
                    // The axis's own steps (0, 20, 40 …), not figures of the data.
                    return numbers.format(value) + (data.percent ? "%" : "");
                  },
                },
              },
            },
          },
        });
        canvas.dataset.drawn = "true";
        fallbackTable(figure, data);
      })
      .catch(function () {
        canvas.dataset.drawn = "failed";
        say(figure, "", "failed");
        var caption = figure.querySelector(".chart-fallback");
        if (caption) {
          caption.classList.remove("visually-hidden");
          caption.textContent = canvas.dataset.errorText;
        }
      });
  }

  document.querySelectorAll("canvas[data-chart-url]").forEach(draw);
})();
