// Live results: poll the results' version (one cheap query) and reload when a vote has arrived. The page works
// without it; this only spares the reader a manual reload.
(function () {
  var root = document.querySelector("[data-live-results]");
  if (!root || !window.fetch) return;
  var url = root.getAttribute("data-live-results");
  var version = root.getAttribute("data-version");
  var note = document.querySelector("[data-live-note]");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (state && String(state.version) !== version) {
          if (note) note.hidden = false;
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 10000);
      })
      .catch(function () { window.setTimeout(poll, 15000); });
  }
  window.setTimeout(poll, 10000);
})();
