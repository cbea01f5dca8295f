/* Samsyn: wide tables scroll in their own labelled region, so the page never scrolls sideways
   on a phone (WCAG 1.4.10 Reflow). The region is named after the table's caption (or the
   heading before it) and can be reached with the keyboard only when it actually scrolls. */
(function () {
  "use strict";

  function labelFor(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    if (table.getAttribute("aria-label")) return table.getAttribute("aria-label");
    for (var el = table.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.trim();
    }
    var section = table.closest("section[aria-labelledby]");
    if (section) {
      var heading = document.getElementById(section.getAttribute("aria-labelledby"));
      if (heading) return heading.textContent.trim();
    }
    return "Tabell";
  }

  function update(wrapper) {
    var scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
    wrapper.classList.toggle("scrolls", scrolls);
    if (scrolls) {
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("aria-label", wrapper.dataset.label + " (rulla i sidled)");
    } else {
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("aria-label");
    }
  }

  function wrapTables(root) {
    var tables = (root || document).querySelectorAll("table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.parentElement && table.parentElement.classList.contains("table-scroll")) continue;
      var wrapper = document.createElement("div");
      wrapper.className = "table-scroll";
      wrapper.dataset.label = labelFor(table);
      table.parentNode.insertBefore(wrapper, table);
      wrapper.appendChild(table);
      // A date, a code or an amount is one word: it never breaks inside its cell.
      var cells = table.querySelectorAll("td, th");
      for (var j = 0; j < cells.length; j++) {
        var text = cells[j].textContent.trim();
        if (text.length <= 20 && !/\s/.test(text)) cells[j].classList.add("nowrap");
      }
    }
    updateAll();
  }

  function updateAll() {
    var wrappers = document.querySelectorAll(".table-scroll");
    for (var i = 0; i < wrappers.length; i++) update(wrappers[i]);
  }

  document.addEventListener("DOMContentLoaded", function () { wrapTables(document); });
  document.addEventListener("htmx:load", function (event) { wrapTables(event.detail.elt); });
  window.addEventListener("resize", updateAll);
})();
