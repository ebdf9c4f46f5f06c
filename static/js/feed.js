// Progressive enhancement for the public feed: a changed filter shows its results at once.
// Without JavaScript the "Tampilkan" button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (!form) { return; }
  // A filter chosen in the open "Saring" panel (phones) reloads the page; open it again there,
  // so the next filter is one tap away.
  var panel = form.querySelector("[data-filter-panel]");
  var key = "lapor.feed-filters-open";
  try {
    if (panel && window.sessionStorage.getItem(key)) { panel.open = true; }
    window.sessionStorage.removeItem(key);
  } catch (error) { /* storage refused (private mode): the panel simply starts closed */ }
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || target.tagName !== "SELECT") { return; }
    if (target.name === "province") {
      var regency = form.querySelector("select[name=regency]");
      if (regency) { regency.value = ""; }
    }
    try {
      if (panel && panel.open) { window.sessionStorage.setItem(key, "1"); }
    } catch (error) { /* as above */ }
    form.submit();
  });
})();
