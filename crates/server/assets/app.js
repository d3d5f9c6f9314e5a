// FirstContact UI script. The pages work without it; it adds:
// - the live queue: listens to /ui/events (SSE) and re-fetches the server-rendered fragment after
//   each committed change (the server stays the only place that decides what is shown);
// - waiting times that tick every second, and the 999 answer target turning red when passed;
// - keyboard shortcuts: n new contact, / channel filter, g then q the queue;
// - focus on the error summary when a form comes back with errors.
(function () {
  "use strict";

  var skew = 0; // server clock minus browser clock, ms

  function waited(secs) {
    secs = Math.max(0, Math.floor(secs));
    if (secs < 60) return secs + "s";
    if (secs < 3600) return Math.floor(secs / 60) + "m " + String(secs % 60).padStart(2, "0") + "s";
    return Math.floor(secs / 3600) + "h " + String(Math.floor((secs % 3600) / 60)).padStart(2, "0") + "m";
  }

  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll("td.wait[data-since]").forEach(function (td) {
      var secs = (now - Number(td.dataset.since)) / 1000;
      var el = td.querySelector(".elapsed");
      if (el) el.textContent = waited(secs);
      var target = td.dataset.target;
      if (target !== undefined && secs > Number(target)) {
        td.parentElement.classList.add("late");
        var tag = td.querySelector(".late-tag");
        if (tag) tag.hidden = false;
      }
    });
  }

  function readSkew(root) {
    var body = root.querySelector("#queue-body") || root;
    if (body && body.dataset && body.dataset.now) skew = Number(body.dataset.now) - Date.now();
  }

  function liveQueue(queue) {
    var status = document.getElementById("queue-status");
    var filter = document.getElementById("filter-channel");
    var pending = null;
    var inflight = false;
    var again = false;

    function url() {
      var ch = filter ? filter.value : "";
      return queue.dataset.src + (ch ? "?channel=" + encodeURIComponent(ch) : "");
    }

    function refresh() {
      if (inflight) { again = true; return; }
      inflight = true;
      fetch(url(), { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (res) {
          if (res.status === 401) { window.location.href = "/login?next=/"; return null; }
          if (!res.ok) return null;
          return res.text();
        })
        .then(function (html) {
          if (html === null || html === undefined) return;
          var focused = document.activeElement;
          var ref = focused && queue.contains(focused) ? focused.getAttribute("data-ref") : null;
          var before = {};
          queue.querySelectorAll("[data-ref]").forEach(function (a) { before[a.dataset.ref] = true; });
          queue.innerHTML = html;
          readSkew(queue);
          tick();
          if (ref) {
            var same = queue.querySelector('[data-ref="' + CSS.escape(ref) + '"]');
            if (same) same.focus();
          }
          var fresh = [];
          queue.querySelectorAll("[data-ref]").forEach(function (a) {
            if (!before[a.dataset.ref]) fresh.push(a.dataset.ref);
          });
          var body = queue.querySelector("#queue-body");
          var text = body ? body.dataset.summary : "";
          if (fresh.length) text += " New: " + fresh.join(", ") + ".";
          if (status && text && status.textContent !== text) status.textContent = text;
        })
        .catch(function () { /* the next event or reconnect tries again */ })
        .finally(function () {
          inflight = false;
          if (again) { again = false; schedule(); }
        });
    }

    function schedule() {
      if (pending) return;
      pending = setTimeout(function () { pending = null; refresh(); }, 150);
    }

    if (filter) {
      filter.addEventListener("change", function () {
        var u = new URL(window.location.href);
        if (filter.value) u.searchParams.set("channel", filter.value); else u.searchParams.delete("channel");
        history.replaceState(null, "", u);
        refresh();
      });
    }

    if (window.EventSource) {
      var es = new EventSource(queue.dataset.events);
      es.addEventListener("contact", schedule);
      es.addEventListener("resync", schedule);
      // After a reconnect we may have missed events: catch up once.
      es.addEventListener("open", schedule);
    }
  }

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function shortcuts() {
    var gAt = 0;
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      // Elements that name a key (data-key) take it: radios are chosen, fields focused.
      var keyed = document.querySelector('[data-key="' + (e.key === '"' ? "" : e.key) + '"]');
      if (keyed) {
        e.preventDefault();
        if (keyed.type === "radio") keyed.checked = true;
        keyed.focus();
        return;
      }
      var newLink = document.querySelector('a[href="/contacts/new"]');
      if (e.key === "n" && newLink) { e.preventDefault(); window.location.href = "/contacts/new"; return; }
      if (e.key === "/") {
        var filter = document.getElementById("filter-channel");
        e.preventDefault();
        if (filter) filter.focus(); else window.location.href = "/";
        return;
      }
      if (e.key === "g") { gAt = Date.now(); return; }
      if (e.key === "q" && Date.now() - gAt < 1500) { e.preventDefault(); window.location.href = "/"; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    var queue = document.getElementById("queue");
    if (queue) { readSkew(queue); liveQueue(queue); }
    tick();
    setInterval(tick, 1000);
    shortcuts();
  });
})();
