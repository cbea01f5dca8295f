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
