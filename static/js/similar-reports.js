/* Similar public reports as the citizen types the report form (title, description, category,
   place): a debounced request to /api/v1/public/similar-reports/ fills the panel under the
   form, each report with its status and "Dukung laporan ini". The numbers shown go into
   the form's "similar_seen" field, so the server's step before submitting (the same list,
   without JavaScript) is not shown a second time. */
(function () {
  "use strict";
  var panel = document.getElementById("similar-reports");
  var form = document.getElementById("report-form");
  if (!panel || !form || !window.fetch) return;
  var url = panel.getAttribute("data-similar-url");
  var list = panel.querySelector("[data-similar-list]");
  var item = document.getElementById("similar-item");
  var seen = document.getElementById("id_similar_seen");
  var supportBase = "/publik/";
  var fields = ["title", "description", "category", "regency", "district"];
  var timer = null;
  var last = "";
  var english = document.documentElement.lang === "en";

  function query() {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      var input = form.elements[name];
      if (input && input.value) params.set(name, input.value.slice(0, 5000));
    });
    return params.toString();
  }

  function show(results) {
    list.innerHTML = "";
    results.forEach(function (r) {
      var node = item.content.firstElementChild.cloneNode(true);
      var link = node.querySelector("[data-link]");
      link.href = supportBase + encodeURIComponent(r.tracking_number) + "/";
      node.querySelector("[data-number]").textContent = r.tracking_number;
      node.querySelector("[data-title]").textContent = r.title;
      node.querySelector("[data-status]").textContent = r.status_label;
      node.querySelector("[data-place]").textContent =
        (r.district ? r.district + ", " : "") + r.regency;
      node.querySelector("[data-supports]").textContent =
        r.support_count + (english ? " supports" : " dukungan");
      var support = node.querySelector("[data-support-form]");
      if (r.may_support) {
        support.action = supportBase + encodeURIComponent(r.tracking_number) + "/dukung/";
      } else {
        support.remove();
        if (r.is_supported) node.querySelector("[data-supported]").hidden = false;
      }
      list.appendChild(node);
    });
    panel.hidden = results.length === 0;
    var shown = (seen.value ? seen.value.split(" ") : []);
    results.forEach(function (r) {
      if (shown.indexOf(r.tracking_number) < 0) shown.push(r.tracking_number);
    });
    seen.value = shown.join(" ");
  }

  function lookUp() {
    var params = query();
    if (params === last) return;
    last = params;
    fetch(url + "?" + params, { headers: { "Accept": "application/json" },
                                credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (params === last) show(data.results || []); })
      .catch(function () { /* the server's step before submitting still shows them */ });
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(lookUp, 600);
  }

  fields.forEach(function (name) {
    var input = form.elements[name];
    if (!input) return;
    input.addEventListener("input", later);
    input.addEventListener("change", later);
  });
  if (panel.hidden) later();
})();
