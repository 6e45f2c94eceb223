// "Read it in the source" links open the passage-in-its-source page in a dialog
// over the page the student is on, so a half-answered question keeps its choices.
// The link goes to a page of its own that works without JavaScript (it opens at
// #quoted-passage); this only shows that page's content in place. Anything that
// goes wrong (an old browser, the network) falls back to following the link.
(function () {
  "use strict";
  var dialog = null;
  var opener = null;

  function makeDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "context-dialog";
    dialog.setAttribute("aria-labelledby", "context-dialog-title");
    var bar = document.createElement("div");
    bar.className = "dialog-bar";
    var title = document.createElement("h2");
    title.id = "context-dialog-title";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () {
      dialog.close();
    });
    bar.append(title, close);
    var body = document.createElement("div");
    body.className = "dialog-body";
    dialog.append(bar, body);
    dialog.addEventListener("close", function () {
      if (opener) {
        opener.focus();
      }
    });
    document.body.append(dialog);
  }

  function show(link, page) {
    var content = page.querySelector("[data-context-content]");
    var heading = page.querySelector("h1");
    if (!content || !heading) {
      throw new Error("not a passage-in-its-source page");
    }
    if (!dialog) {
      makeDialog();
    }
    dialog.querySelector("#context-dialog-title").textContent = heading.textContent;
    var own = document.createElement("p");
    var ownLink = document.createElement("a");
    ownLink.href = link.href;
    ownLink.textContent = "Open this on a page of its own";
    own.append(ownLink);
    dialog.querySelector(".dialog-body").replaceChildren(document.adoptNode(content), own);
    opener = link;
    dialog.showModal();
    var mark = dialog.querySelector("#quoted-passage");
    if (mark) {
      mark.scrollIntoView({ block: "center" });
    }
  }

  function open(link) {
    return fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        show(link, new DOMParser().parseFromString(html, "text/html"));
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-opens-in-place]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) {
      return;
    }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || typeof HTMLDialogElement !== "function") {
      return; // a new tab or window was asked for, or a browser without <dialog>: follow the link
    }
    event.preventDefault();
    open(link).catch(function () {
      window.location.assign(link.href);
    });
  });
})();
