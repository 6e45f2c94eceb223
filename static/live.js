// Keeps a live session's page up to date without reloading it (students' page,
// projector, control page). Loaded as a file, never inline, so a Content-Security-
// Policy without inline scripts allows it. Without JavaScript the page's Refresh
// button does the same by hand.
//
// The page names the JSON state it follows and the stage it shows:
//   <div data-live-poll="/live/7/state" data-live-stage="12">
// and its changing regions: <... data-live-part="content">. Every two seconds the
// state is asked for with the ETag of the last answer; the server says 304 while
// nothing changed. When the stage changed (a new passage, the key shown, the end),
// the page fetches itself and takes every part from the fresh copy. Otherwise the
// state may carry new HTML for some parts (the projector's counts), taken as they
// are. A part marked data-live-text is the status line (role="status"): its text
// is changed in place, so screen readers announce it, politely.
(function () {
  "use strict";

  var root = document.querySelector("[data-live-poll]");
  if (!root || !window.fetch || !window.DOMParser) {
    return;
  }
  var pollUrl = root.getAttribute("data-live-poll");
  var stage = root.getAttribute("data-live-stage");
  var EVERY_MS = 2000;
  var MAX_WAIT_MS = 30000;
  var etag = null;
  var failures = 0;
  var timer = null;

  function part(name) {
    return document.querySelector('[data-live-part="' + name + '"]');
  }

  // Replaces a part's content, keeping what the person was doing in it: ticked
  // boxes not yet sent, and the control that had focus.
  function replace(name, content) {
    var target = part(name);
    if (!target) {
      return;
    }
    if (target.hasAttribute("data-live-text")) {
      if (target.textContent !== content) {
        target.textContent = content;
      }
      return;
    }
    if (target.innerHTML === content) {
      return;
    }
    var ticked = {};
    target.querySelectorAll("input[type=checkbox][id]").forEach(function (box) {
      ticked[box.id] = box.checked;
    });
    var active = document.activeElement;
    var focusedId = active && target.contains(active) ? active.id : "";
    target.innerHTML = content;
    target.querySelectorAll("input[type=checkbox][id]").forEach(function (box) {
      if (Object.prototype.hasOwnProperty.call(ticked, box.id)) {
        box.checked = ticked[box.id];
      }
    });
    if (focusedId) {
      var again = document.getElementById(focusedId);
      if (again) {
        again.focus({ preventScroll: true });
      }
    }
  }

  function takeAllParts(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var freshRoot = fresh.querySelector("[data-live-poll]");
    if (!freshRoot) {
      throw new Error("not a live page");
    }
    fresh.querySelectorAll("[data-live-part]").forEach(function (element) {
      var name = element.getAttribute("data-live-part");
      // Nested parts come with their enclosing one.
      if (element.parentElement && element.parentElement.closest("[data-live-part]")) {
        return;
      }
      replace(name, element.hasAttribute("data-live-text") ? element.textContent : element.innerHTML);
    });
    document.title = fresh.title;
    stage = freshRoot.getAttribute("data-live-stage");
  }

  function reloadPage() {
    return fetch(window.location.href, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) {
        throw new Error("page " + response.status);
      }
      return response.text().then(takeAllParts);
    });
  }

  function applyState(response) {
    if (response.status === 304) {
      return null;
    }
    if (!response.ok || response.redirected) {
      throw new Error("state " + response.status);
    }
    var tag = response.headers.get("ETag");
    return response.json().then(function (state) {
      var done;
      if (String(state.stage) !== stage) {
        done = reloadPage();
      } else {
        Object.keys(state.parts || {}).forEach(function (name) {
          replace(name, state.parts[name]);
        });
        done = Promise.resolve();
      }
      return done.then(function () {
        etag = tag;
      });
    });
  }

  function poll() {
    timer = null;
    var headers = { Accept: "application/json" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(pollUrl, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(applyState)
      .then(
        function () {
          if (failures >= 3) {
            reloadPage().catch(function () {}); // puts back the status line the pause replaced
          }
          failures = 0;
          schedule(EVERY_MS);
        },
        function () {
          // The network or the server is away for a moment: wait longer each time.
          failures += 1;
          if (failures === 3) {
            replace("status", "Updates have paused: press Refresh, or wait while the page tries again.");
          }
          schedule(Math.min(EVERY_MS * Math.pow(2, failures), MAX_WAIT_MS));
        }
      );
  }

  function schedule(wait) {
    if (timer === null) {
      timer = window.setTimeout(poll, wait);
    }
  }

  // A phone that wakes up, or a tab brought back, catches up at once.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && timer !== null) {
      window.clearTimeout(timer);
      timer = null;
      poll();
    }
  });

  schedule(EVERY_MS);
})();
