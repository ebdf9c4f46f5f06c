// The admin's autocomplete pickers (select2) name their box after its shown value only: an
// empty picker has no accessible name (axe-core: aria-input-field-name). Each box is given
// the label of its field. Runs after Django's autocomplete.js has built the boxes (a ready
// handler registered after its own; this script is deferred).
(function () {
  "use strict";
  if (!window.django || !window.django.jQuery) return;
  window.django.jQuery(function () {
    document.querySelectorAll(".select2-selection__rendered[id^='select2-']").forEach(function (box) {
      var selectId = box.id.replace(/^select2-/, "").replace(/-container$/, "");
      var label = document.querySelector("label[for='" + selectId + "']");
      if (label && !box.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    });
  });
})();
