// The consultation form: the fieldset of the language chosen as the original is hidden, since its texts are typed
// in the original's fields above; it stays shown while it holds text or an error, so nothing typed is hidden away.
// Loaded in the page's head, as the admin loads a form's media: it waits for the form.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var select = document.getElementById("id_original_language");
  if (!select) {
    return;
  }
  function update() {
    document.querySelectorAll("fieldset.concord-translation").forEach(function (fieldset) {
      var own = fieldset.classList.contains("concord-translation-" + select.value);
      var typed = Array.prototype.some.call(fieldset.querySelectorAll("input, textarea"), function (field) {
        return field.value.trim() !== "";
      });
      fieldset.classList.toggle("hidden", own && !typed && !fieldset.querySelector(".errorlist"));
    });
  }
  select.addEventListener("change", update);
  update();
});
