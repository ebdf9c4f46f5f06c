// Progress of an export: asks the API every 2 seconds while the export is being built, moves
// the progress bar, and reloads the page when it is done or failed (the page then shows the
// download link or the error). Without JavaScript a <noscript> meta refresh does the same.
(function () {
  "use strict";
  var section = document.querySelector("[data-export]");
  if (!section) { return; }
  var state = section.getAttribute("data-state");
  if (state !== "pending" && state !== "running") { return; }
  var url = section.getAttribute("data-status-url");
  var bar = section.querySelector("[data-export-progress]");
  var count = section.querySelector("[data-export-count]");
  var template = count ? count.getAttribute("data-template") : "";
  var lang = document.documentElement.lang || "id";
  var INTERVAL = 2000;

  function number(n) {
    try { return Number(n || 0).toLocaleString(lang); } catch (e) { return String(n || 0); }
  }

  function show(job) {
    if (bar && job.total_rows) {
      bar.max = job.total_rows;
      bar.value = job.done_rows;
      bar.textContent = job.percent + "%";
    }
    if (count && template) {
      count.textContent = template.replace("__done__", number(job.done_rows))
        .replace("__total__", number(job.total_rows));
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404 || response.status === 403) { return null; }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        if (!job) { return; }
        show(job);
        if (job.state !== state && (job.state === "done" || job.state === "failed")) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () { window.setTimeout(poll, INTERVAL); });
  }

  window.setTimeout(poll, INTERVAL);
})();
