// Live refresh for Beacon's status page: when the server says the data changed, fetch this
// page again and swap its main content in place. The page is complete without this script;
// without a server to listen to (a static copy of the site) it does nothing.
(function () {
  "use strict";
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  var main = document.getElementById("main");
  if (!main) return;
  var link = document.querySelector('link[rel="stylesheet"]');
  var root = link ? new URL(link.href).pathname.replace(/static\/style\.css$/, "") : "/";
  var busy = false, again = false;

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { cache: "no-cache", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.getElementById("main");
        if (!next) return;
        var open = {};
        main.querySelectorAll("details[id]").forEach(function (d) { open[d.id] = d.open; });
        main.replaceChildren.apply(main, Array.prototype.slice.call(next.childNodes).map(function (n) {
          return document.adoptNode(n);
        }));
        main.querySelectorAll("details[id]").forEach(function (d) {
          if (d.id in open) d.open = open[d.id];
        });
        document.title = doc.title;
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var es = new EventSource(root + "events");
  es.addEventListener("change", refresh);
  es.onerror = function () {
    if (es.readyState === EventSource.CLOSED) es.close();
  };
})();
