/* Progressive enhancement of the report form: cascading region selects from the regions API
   and "use my location". Without JavaScript the form still works (server-rendered options
   and a "refresh regions" button). */
(function () {
  "use strict";
  var fieldset = document.querySelector("[data-regions-url]");
  if (!fieldset) return;
  var url = fieldset.getAttribute("data-regions-url");
  document.documentElement.classList.add("js");

  function clear(select, label) {
    select.innerHTML = "";
    var option = document.createElement("option");
    option.value = "";
    option.textContent = label;
    select.appendChild(option);
  }

  function load(parentCode, select) {
    var first = select.options[0] ? select.options[0].textContent : "";
    clear(select, "…");
    if (!parentCode) { clear(select, first); return; }
    select.disabled = true;
    fetch(url + "?parent=" + encodeURIComponent(parentCode) + "&page_size=200&ordering=name",
          { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        clear(select, select.getAttribute("data-placeholder") || "—");
        (data.results || []).forEach(function (region) {
          var option = document.createElement("option");
          option.value = region.code;
          option.textContent = region.name;
          select.appendChild(option);
        });
      })
      .catch(function () { clear(select, "—"); })
      .finally(function () { select.disabled = false; });
  }

  var province = document.getElementById("id_province");
  var regency = document.getElementById("id_regency");
  var district = document.getElementById("id_district");
  regency.setAttribute("data-placeholder", "— " + (document.documentElement.lang === "en" ? "choose" : "pilih") + " —");
  district.setAttribute("data-placeholder", regency.getAttribute("data-placeholder"));
  province.addEventListener("change", function () {
    load(province.value, regency);
    clear(district, district.getAttribute("data-placeholder"));
  });
  regency.addEventListener("change", function () { load(regency.value, district); });

  var locate = document.querySelector("[data-locate]");
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
      });
    });
  }
  // The chosen category's extra questions: show its set, hide and disable the others (a
  // disabled fieldset's answers are not sent).
  var category = document.getElementById("id_category");
  if (category) {
    category.addEventListener("change", function () {
      document.querySelectorAll("[data-questions-for]").forEach(function (set) {
        var mine = set.getAttribute("data-questions-for") === category.value;
        set.hidden = !mine;
        set.disabled = !mine;
      });
    });
  }
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
