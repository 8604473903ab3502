/* Live floor: follows the server-sent events of live/ (or, without EventSource, long-polls live.json, which answers
   at once on a change, else after a wait); counts down locally between changes. */
(function () {
  var root = document.querySelector("[data-live-url]");
  if (!root) return;
  var url = root.dataset.liveUrl, streamUrl = root.dataset.streamUrl, version = -1, state = null, receivedAt = 0;
  var csrf = root.dataset.csrf || "", chairUrl = root.dataset.chairUrl || "";
  function q(sel) { return root.querySelectorAll(sel); }
  function setText(sel, value) { q(sel).forEach(function (el) { el.textContent = value; }); }
  function speakerItem(s, withButtons) {
    var li = document.createElement("li");
    li.dataset.turn = s.turn;
    var name = document.createElement("span");
    name.className = "speaker-name";
    name.textContent = s.name + " — " + s.entity + " (" + s.group + ")";
    li.appendChild(name);
    if (s.kind === "point-of-order") {
      var tag = document.createElement("span");
      tag.className = "tag point-of-order";
      tag.textContent = " " + s.kind_label;
      li.appendChild(tag);
    }
    if (withButtons) {
      [["give", root.dataset.labelGive], ["strike", root.dataset.labelStrike]].forEach(function (pair) {
        var form = document.createElement("form");
        form.method = "post"; form.action = chairUrl; form.className = "inline";
        form.innerHTML = '<input type="hidden" name="csrfmiddlewaretoken"><input type="hidden" name="action">' +
          '<input type="hidden" name="turn"><button type="submit"></button>';
        form.elements.csrfmiddlewaretoken.value = csrf;
        form.elements.action.value = pair[0];
        form.elements.turn.value = s.turn;
        form.querySelector("button").textContent = pair[1];
        li.appendChild(form);
      });
    }
    return li;
  }
  function render() {
    root.dataset.version = state.version;
    var s = state.speaking;
    setText("[data-live-speaker]", s ? s.name : root.dataset.labelNobody);
    setText("[data-live-speaker-entity]", s ? s.entity + " (" + s.group + ")" + (s.kind === "point-of-order" ? " — " + s.kind_label : "") : "");
    setText("[data-live-waiting]", state.waiting);
    setText("[data-live-debate]", state.debate_open ? root.dataset.labelOpen : root.dataset.labelClosed);
    q("[data-live-queue]").forEach(function (ol) {
      var limit = parseInt(ol.dataset.limit || "5", 10), chairButtons = ol.hasAttribute("data-chair");
      var list = state.queue || state.next;
      ol.replaceChildren.apply(ol, list.slice(0, limit).map(function (x) { return speakerItem(x, chairButtons); }));
    });
    q("[data-live-position]").forEach(function (el) {
      var mine = (el.dataset.turns || "").split(" ").map(Number);
      var index = state.queue_ids.findIndex(function (x) { return mine.indexOf(x) >= 0; });
      var speaking = state.speaking && mine.indexOf(state.speaking.turn) >= 0;
      el.textContent = speaking ? root.dataset.labelYouSpeak : (index >= 0 ? root.dataset.labelPosition.replace("%s", index + 1) : "");
    });
    tick();
  }
  function tick() {
    var s = state && state.speaking;
    q("[data-live-countdown]").forEach(function (el) {
      if (!s || s.remaining_seconds === undefined || s.remaining_seconds === null) { el.textContent = ""; el.classList.remove("overtime"); return; }
      var left = Math.round(s.remaining_seconds - (performance.now() - receivedAt) / 1000);
      var abs = Math.abs(left);
      el.textContent = (left < 0 ? "−" : "") + Math.floor(abs / 60) + ":" + String(abs % 60).padStart(2, "0");
      el.classList.toggle("overtime", left < 0);
    });
  }
  function receive(data) {
    receivedAt = performance.now();
    state = data;
    if (data.version !== version) { version = data.version; render(); }
  }
  function poll() {
    fetch(url + (url.indexOf("?") >= 0 ? "&" : "?") + "since=" + version, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { receive(data); setTimeout(poll, 20); })
      .catch(function () { setTimeout(poll, 1000); });
  }
  setInterval(tick, 250);
  if (streamUrl && window.EventSource) {
    // The browser reconnects by itself (sending the last version it saw) when the server ends a stream.
    new EventSource(streamUrl).addEventListener("floor", function (e) { receive(JSON.parse(e.data)); });
    root.dataset.transport = "events";
  } else {
    root.dataset.transport = "polling";
    poll();
  }
})();
