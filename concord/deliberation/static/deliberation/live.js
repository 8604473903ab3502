// Live results: follow the results' event stream and, when a new result is computed, read this page again and
// swap in its content (counts, map, lists), without a reload. The page is complete without it: a reload shows the
// same.
(function () {
  var root = document.querySelector("[data-live-results]");
  if (!root || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var version = root.getAttribute("data-version");
  var source = new EventSource(root.getAttribute("data-live-results") + "?since=" + encodeURIComponent(version));
  var loading = false;
  var waiting = null; // a version announced while reading or hidden: read after
  source.addEventListener("results", function (event) {
    var next = String(JSON.parse(event.data).version);
    if (next === version) return;
    if (loading || document.hidden) {
      // Read once the current reading ends; a page nobody looks at reads itself again only when it shows.
      waiting = next;
      return;
    }
    update();
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && waiting !== null && waiting !== version && !loading) update();
  });

  function update() {
    waiting = null;
    loading = true;
    var note = root.querySelector("[data-live-note]");
    if (note) note.hidden = false;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-results]");
        if (!fresh) throw new Error("no results in the page");
        root.innerHTML = fresh.innerHTML;
        version = fresh.getAttribute("data-version");
        root.setAttribute("data-version", version);
        done();
      })
      .catch(done);
  }

  function done() {
    loading = false;
    if (!document.hidden && waiting !== null && waiting !== version) update();
  }
})();
