// FirstContact UI script. The pages work without it; it adds:
// - the live queue: listens to /ui/events (SSE) and re-fetches the server-rendered fragment after
//   each committed change (the server stays the only place that decides what is shown);
// - waiting times that tick every second, and the 999 answer target turning red when passed;
// - keyboard shortcuts: n new contact, / channel filter, g then q the queue; on a contact screen
//   t opens the THRIVE form, 1-4 choose a grade; on the handler bar r ready, b break, t take next,
//   w wrap-up, s sign in, o sign out;
// - the supervisor dashboard: re-fetched after committed changes (SSE), throttled;
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

  // The contact screen's risk panel: when this contact changes (a colleague or an integration
  // adds to the narrative during the call), re-fetch the server's assessment and swap the
  // signals, recommendation and highlighted narrative in place; forms are left untouched.
  function liveRisk(panel) {
    if (!window.EventSource) return;
    var ref = panel.dataset.ref;
    var version = Number(panel.dataset.version);
    var inflight = false;
    function refresh() {
      if (inflight) return;
      inflight = true;
      fetch(panel.dataset.src, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (res) { return res.ok ? res.text() : null; })
        .then(function (html) {
          if (!html) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("risk-live-new");
          var live = document.getElementById("risk-live");
          if (fresh && live) {
            version = Number(fresh.dataset.version);
            live.innerHTML = fresh.innerHTML;
          }
          var narrative = doc.getElementById("narrative-new");
          var current = document.querySelector("p.narrative");
          if (narrative && current) current.outerHTML = narrative.innerHTML;
        })
        .catch(function () { /* the next event tries again */ })
        .finally(function () { inflight = false; });
    }
    var es = new EventSource(panel.dataset.events);
    es.addEventListener("contact", function (e) {
      try {
        var d = JSON.parse(e.data);
        if (d.reference === ref && Number(d.version) > version) refresh();
      } catch (err) { /* ignore malformed events */ }
    });
    es.addEventListener("resync", refresh);
  }

  // The supervisor dashboard: re-fetch the server-rendered figures after committed changes, at
  // most every 3 seconds (a busy room commits many changes a second).
  function liveDashboard(board) {
    var last = 0, timer = null;
    function refresh() {
      timer = null;
      last = Date.now();
      fetch(board.dataset.src, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (res) {
          if (res.status === 401) { window.location.href = "/login?next=/dashboard"; return null; }
          return res.ok ? res.text() : null;
        })
        .then(function (html) { if (html) board.innerHTML = html; })
        .catch(function () { /* the next event tries again */ });
    }
    function schedule() {
      if (timer) return;
      timer = setTimeout(refresh, Math.max(0, 3000 - (Date.now() - last)));
    }
    if (window.EventSource) {
      var es = new EventSource(board.dataset.events);
      ["contact", "handler", "resync", "open"].forEach(function (n) { es.addEventListener(n, schedule); });
    }
    setInterval(schedule, 15000); // waits grow even when nothing is committed
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
      var thrive = document.getElementById("thrive");
      if (e.key === "t" && thrive) {
        e.preventDefault();
        thrive.open = true;
        var first = thrive.querySelector("select, textarea, button");
        if (first) first.focus();
        return;
      }
      var grade = document.getElementById("grade-" + e.key);
      if (grade && /^[1-4]$/.test(e.key) && e.shiftKey === false && document.querySelector("form.grade")) {
        e.preventDefault();
        grade.checked = true;
        grade.focus();
        return;
      }
      var bar = document.getElementById("handler-bar");
      if (bar) {
        var btn = bar.querySelector('button[data-key="' + e.key + '"]');
        if (btn && !btn.disabled) { e.preventDefault(); btn.click(); return; }
      }
      if (e.key === "g") { gAt = Date.now(); return; }
      if (e.key === "q" && Date.now() - gAt < 1500) { e.preventDefault(); window.location.href = "/"; }
    });
  }

  // The dispatcher's view: re-fetch the server-rendered board after incident and unit changes and
  // attendance breaches (debounced, so a surge of changes is one fetch).
  function liveDispatch(el) {
    var status = document.getElementById("dispatch-status");
    var pending = null;
    function refresh() {
      fetch(el.dataset.src, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (res) {
          if (res.status === 401) { window.location.href = "/login?next=/dispatch"; return null; }
          return res.ok ? res.text() : null;
        })
        .then(function (html) {
          if (!html) return;
          el.innerHTML = html;
          var body = el.querySelector("#dispatch-body");
          if (status && body && status.textContent !== body.dataset.summary) status.textContent = body.dataset.summary;
        })
        .catch(function () {});
    }
    function schedule() {
      if (pending) return;
      pending = setTimeout(function () { pending = null; refresh(); }, 500);
    }
    if (window.EventSource) {
      var es = new EventSource(el.dataset.events);
      ["incident", "unit", "attendance_breach", "resync", "open"].forEach(function (t) { es.addEventListener(t, schedule); });
    }
  }

  // Digit shortcuts: a form marked data-shortcut="N" (assign the Nth recommended unit, link the
  // Nth suggested incident) submits when N is pressed outside a text field.
  function digitShortcuts() {
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      var form = document.querySelector('form[data-shortcut="' + e.key + '"]');
      if (form) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var dispatchEl = document.getElementById("dispatch");
    if (dispatchEl) liveDispatch(dispatchEl);
    digitShortcuts();
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    var queue = document.getElementById("queue");
    if (queue) { readSkew(queue); liveQueue(queue); }
    var risk = document.getElementById("risk-panel");
    if (risk) liveRisk(risk);
    var board = document.getElementById("dashboard");
    if (board) liveDashboard(board);
    tick();
    setInterval(tick, 1000);
    shortcuts();
  });
})();
