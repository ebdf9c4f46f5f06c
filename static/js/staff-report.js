/* Staff report page: search bodies by name or acronym as one types (fills a datalist and the
   hidden body id), and fill the answer from a response template (without JavaScript the "Pakai templat"
   button does it on the server). */
(function () {
  "use strict";
  document.querySelectorAll("[data-body-search]").forEach(function (input) {
    var url = input.getAttribute("data-body-search");
    var list = document.getElementById(input.getAttribute("list"));
    var hidden = input.form.querySelector("input[name=to_body]");
    var found = {};
    var timer = null;
    input.addEventListener("input", function () {
      if (hidden) hidden.value = found[input.value] || "";
      clearTimeout(timer);
      if (input.value.length < 2) return;
      timer = setTimeout(function () {
        fetch(url + "?is_active=true&page_size=15&q=" + encodeURIComponent(input.value),
              { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            list.innerHTML = "";
            (data.results || []).forEach(function (body) {
              var option = document.createElement("option");
              option.value = body.name;
              option.label = body.acronym || "";
              found[body.name] = body.id;
              list.appendChild(option);
            });
          });
      }, 200);
    });
  });
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    select.addEventListener("change", function () {
      var target = document.getElementById(select.getAttribute("data-fills"));
      var option = select.options[select.selectedIndex];
      if (target && option && option.getAttribute("data-text")) {
        target.value = option.getAttribute("data-text");
      }
    });
  });
})();
