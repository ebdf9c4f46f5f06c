// Progressive enhancement for the public feed: a changed filter shows its results at once.
// Without JavaScript the "Tampilkan" button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (!form) { return; }
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || target.tagName !== "SELECT") { return; }
    if (target.name === "province") {
      var regency = form.querySelector("select[name=regency]");
      if (regency) { regency.value = ""; }
    }
    form.submit();
  });
})();
