// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var csrf = document.body && document.body.dataset.csrf;
  // htmx requests carry the CSRF token as a header.
  document.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRF-Token"] = csrf;
  });

  // A thread page appends posts it has not shown yet. Asking "after the last number I show" also
  // fills any gap left while the connection was down, so every (re)connect asks once too.
  function appendNewPosts(section) {
    var url = section.dataset.fragment + "?after=" + encodeURIComponent(section.dataset.last || "0");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      holder.querySelectorAll("article.post").forEach(function (post) {
        if (document.getElementById(post.id)) return;
        section.appendChild(post);
        section.dataset.last = post.dataset.number;
      });
    });
  }

  // A changed post (edited, removed, marked) is fetched again and replaced where it stands.
  function refreshPost(section, number) {
    var url = section.dataset.fragment + "?after=" + (number - 1) + "&limit=1";
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.querySelector("article.post");
      var old = document.getElementById("post-" + number);
      if (fresh && old) old.replaceWith(fresh);
    });
  }

  // An event stream that does not give up. The browser reconnects by itself after a dropped connection, but
  // not after an error answer (a 503 while the database restarts): then a new stream is opened a little later.
  // "resync" comes from a server whose live channel was down for a while: events may have been missed, so
  // the page catches up as after a reconnect, spread over a second so that all screens do not ask at once.
  function liveStream(url, setup, catchUp) {
    var source = new EventSource(url);
    setup(source);
    source.addEventListener("open", function () { catchUp(); });
    source.addEventListener("resync", function () { setTimeout(catchUp, Math.floor(Math.random() * 1000)); });
    source.addEventListener("error", function () {
      if (source.readyState !== EventSource.CLOSED) return;
      setTimeout(function () { liveStream(url, setup, catchUp); }, 3000 + Math.floor(Math.random() * 2000));
    });
  }

  // A section with data-live listens to the server's event stream.
  document.querySelectorAll("[data-live]").forEach(function (section) {
    if (!window.EventSource) return;
    if (section.dataset.fragment) {
      liveStream(section.dataset.live, function (source) {
        source.addEventListener("post-created", function () { appendNewPosts(section); });
        source.addEventListener("post-changed", function (e) {
          try { refreshPost(section, JSON.parse(e.data).number); } catch (ignored) { /* malformed event */ }
        });
      }, function () { appendNewPosts(section); });
      return;
    }
    var reloadModules = function () {
      if (window.htmx) {
        window.htmx.ajax("GET", window.location.pathname + window.location.search,
          { target: "#" + section.id, select: "#" + section.id, swap: "outerHTML" });
      } else {
        window.location.reload();
      }
    };
    var opened = false;
    liveStream(section.dataset.live, function (source) {
      source.addEventListener("module-opened", reloadModules);
    }, function () {
      // The page was just rendered: only a reconnect can have missed an opening.
      if (opened) reloadModules();
      opened = true;
    });
  });

  // The live meetup page: any change (round, seats, notes, questions) reloads the live section in place.
  // A burst of events (many votes at once) is folded into one reload.
  function refreshLive(section) {
    // An event during a fetch may be newer than what that fetch reads: fetch once more after it.
    if (section.dataset.pending) { section.dataset.again = "1"; return; }
    section.dataset.pending = "1";
    // A little random delay spreads a room full of screens over a second instead of one spike.
    setTimeout(function () {
      fetch(window.location.pathname, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#live");
        if (!fresh) return;
        var focused = document.activeElement && section.contains(document.activeElement) && document.activeElement.name;
        if (focused) return; // do not swap the form someone is typing in; the next event catches up
        section.innerHTML = fresh.innerHTML;
        startCountdowns(section);
      }).catch(function () { /* offline for a moment: the next event tries again */ })
        .finally(function () {
          delete section.dataset.pending;
          if (section.dataset.again) { delete section.dataset.again; refreshLive(section); }
        });
    }, 200 + Math.floor(Math.random() * 800));
  }

  function startCountdowns(root) {
    root.querySelectorAll("[data-countdown]").forEach(function (el) {
      var ends = Date.parse(el.dataset.countdown);
      if (isNaN(ends)) return;
      var tick = function () {
        var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
        el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
        if (left > 0 && document.body.contains(el)) setTimeout(tick, 1000);
      };
      tick();
    });
  }

  document.querySelectorAll("[data-live-meetup]").forEach(function (section) {
    startCountdowns(section);
    if (!window.EventSource) return;
    liveStream(section.dataset.liveMeetup, function (source) {
      ["round-started", "agenda-changed", "note-added", "question-changed", "meetup-ended", "meetup-reopened"].forEach(function (type) {
        source.addEventListener(type, function () { refreshLive(section); });
      });
    }, function () {
      // Also on the first open: a question asked between rendering the page and the stream connecting would
      // otherwise wait for the next event. One fetch per open is cheap next to a room that moved on unseen.
      refreshLive(section);
    });
  });
})();
