// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var csrf = document.body && document.body.dataset.csrf;
  // htmx requests carry the CSRF token as a header.
  document.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRF-Token"] = csrf;
  });
  // Live updates: a section with data-live listens to the server's event stream and refreshes
  // itself (through htmx when loaded) when something it shows has changed.
  document.querySelectorAll("[data-live]").forEach(function (section) {
    if (!window.EventSource) return;
    var source = new EventSource(section.dataset.live);
    source.addEventListener("module-opened", function () {
      if (window.htmx) {
        window.htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#" + section.id, select: "#" + section.id, swap: "outerHTML" });
      } else {
        window.location.reload();
      }
    });
  });
})();
