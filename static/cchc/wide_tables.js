// Tables wider than the screen (the dashboard's 15 columns on a phone): say that more columns lie to the side,
// fade the right edge while they do, and let the keyboard scroll the table (the scroll box takes the focus,
// named by the hint). The hint's text comes from the page (body[data-scroll-hint]), in the user's language.
(function () {
  "use strict";
  var text = document.body.getAttribute("data-scroll-hint");
  if (!text) {
    return;
  }
  document.querySelectorAll(".table-responsive").forEach(function (box, index) {
    var frame = document.createElement("div");
    frame.className = "wide-table-frame";
    box.parentNode.insertBefore(frame, box);
    var hint = document.createElement("p");
    hint.className = "scroll-hint small text-body-secondary mb-1";
    hint.id = "scroll-hint-" + index;
    hint.textContent = text;
    hint.hidden = true;
    frame.appendChild(hint);
    frame.appendChild(box);

    function update() {
      var overflow = box.scrollWidth - box.clientWidth > 1;
      var atEnd = box.scrollLeft + box.clientWidth >= box.scrollWidth - 1;
      hint.hidden = !overflow;
      frame.classList.toggle("is-scrollable", overflow);
      frame.classList.toggle("is-at-end", atEnd);
      if (overflow) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-labelledby", hint.id);
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-labelledby");
      }
    }

    update();
    box.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
  });
})();
