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
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
