// The navigation, the account menu and the "Saring" panels are <details>: they open by tapping,
// without JavaScript. This only adds comfort: Escape closes an open menu, a click elsewhere
// closes the desktop account drop-down, and where a browser lacks ::details-content (which
// lapor.css uses to show the menu and the filters at desktop width) they are opened on wide
// screens instead.
(function () {
  "use strict";
  var menu = document.querySelector("[data-nav-menu]");
  if (!menu) { return; }
  var account = menu.querySelector("[data-account-menu]");
  var wide = window.matchMedia ? window.matchMedia("(min-width: 48rem)") : null;
  var inline = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");

  function sync() {
    if (inline || !wide) { return; }
    menu.open = wide.matches;
    document.querySelectorAll("details[data-filter-panel]").forEach(function (panel) {
      if (wide.matches) { panel.open = true; }
    });
  }
  sync();
  if (wide && wide.addEventListener) { wide.addEventListener("change", sync); }

  function isWide() { return Boolean(wide && wide.matches); }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = account && account.open && isWide() ? account : (menu.open && !isWide() ? menu : null);
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
  // The desktop drop-down closes on a click elsewhere; the phone menu (in the page's flow) stays.
  document.addEventListener("click", function (event) {
    if (account && account.open && isWide() && !account.contains(event.target)) { account.open = false; }
  });
})();
