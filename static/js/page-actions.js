// Two buttons that need JavaScript, wired here instead of in inline handlers (the
// Content-Security-Policy runs no inline script): [data-history-back] returns to the page
// before (its href, the home page, without JavaScript or history), [data-print] prints.
(function () {
  "use strict";
  document.querySelectorAll("[data-history-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
