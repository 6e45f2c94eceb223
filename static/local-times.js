// Times are written by the server in UTC, labelled so (<time datetime="...Z">).
// Here each is shown in the reader's own time zone and language instead; the
// UTC time stays in the tooltip. Without JavaScript the UTC labels stand.
(function () {
  "use strict";
  var formats = {
    time: new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }),
    day: new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }),
  };
  function localise(root) {
    root.querySelectorAll("time[data-local]").forEach(function (element) {
      var format = formats[element.getAttribute("data-local")];
      var moment = new Date(element.getAttribute("datetime"));
      if (!format || isNaN(moment.getTime()) || element.hasAttribute("data-localised")) {
        return;
      }
      element.title = element.textContent;
      element.textContent = format.format(moment);
      element.setAttribute("data-localised", "");
    });
  }
  localise(document);
})();
