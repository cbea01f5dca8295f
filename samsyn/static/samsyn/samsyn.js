// Samsyn's own script, served by Samsyn (the CSP allows no inline script). Progressive
// enhancement only: every page works without it.
(function () {
  "use strict";

  function ready() {
    // A refused form was rendered by the address it was sent to (…/steg/): show the address
    // of the page instead, so a reload or a bookmark opens the page.
    var main = document.querySelector("main[data-page-url]");
    if (main && window.history && history.replaceState) {
      history.replaceState(null, "", main.getAttribute("data-page-url") + window.location.hash);
    }
    // A long list of checkboxes (290 kommuner) gets a search field that hides the others.
    document.querySelectorAll("fieldset").forEach(function (fieldset) {
      if (!fieldset.querySelector("input[data-searchable]")) {
        return;
      }
      var label = document.createElement("label");
      label.textContent = "Sök i listan";
      var search = document.createElement("input");
      search.type = "search";
      search.id = "sok-" + (fieldset.querySelector("input").name || "lista");
      label.htmlFor = search.id;
      search.addEventListener("input", function () {
        var wanted = search.value.trim().toLowerCase();
        fieldset.querySelectorAll("input[data-searchable]").forEach(function (box) {
          var row = box.closest("div") || box.parentNode;
          var text = (box.parentNode.textContent || "").toLowerCase();
          row.hidden = wanted !== "" && text.indexOf(wanted) === -1 && !box.checked;
        });
      });
      var legend = fieldset.querySelector("legend");
      fieldset.insertBefore(search, legend ? legend.nextSibling : fieldset.firstChild);
      fieldset.insertBefore(label, search);
    });
    // GOV.UK error summary: focus moves to it, so it is read out and scrolled into view.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", followSummaryLink);
    }
  }

  // A link in the summary (mouse or Enter) focuses its answer and shows the answer's label or
  // legend too: the browser alone would scroll the field to the top edge, its label just above.
  function followSummaryLink(event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    var fieldset = target.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    var label = document.querySelector("label[for='" + target.id + "']");
    var caption = legend || label || target;
    event.preventDefault();
    caption.scrollIntoView();
    // A refusal of the whole record links to a section (the parties table): it takes the focus
    // too, so the next Tab goes on from there.
    if (!target.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }

})();

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
    var scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;  // only sideways: overflow-y is hidden
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
