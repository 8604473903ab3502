// Progressive enhancement only: every page works without it.
// A table wider than its box scrolls inside it (concord.css); make that box reachable and named for the keyboard.
(function () {
  "use strict";
  function label(table) {
    var caption = table.querySelector("caption");
    return caption ? caption.textContent.trim() : "";
  }
  function mark() {
    document.querySelectorAll("main table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        if (!table.hasAttribute("aria-label") && label(table)) table.setAttribute("aria-label", label(table));
        table.dataset.scrolls = "1";
      } else if (!scrolls && table.dataset.scrolls) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrolls;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
// The written form: the stakeholder group is asked only when the chosen category does not imply one.
(function () {
  "use strict";
  function follow(box) {
    var implied = JSON.parse(box.dataset.impliedGroups || "{}");
    var category = box.querySelector('select[name="category"]');
    var group = box.querySelector('select[name="group"]');
    if (!category || !group) return;
    var field = group.closest(".field");
    function update() {
      var hide = Object.prototype.hasOwnProperty.call(implied, category.value) && !group.value;
      field.hidden = hide;
    }
    category.addEventListener("change", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-implied-groups]").forEach(follow);
  });
})();
