// Live journal: every two seconds, ask for the rows newer than the newest shown and put them on
// top, in each live table (a provider's requests, those with a missing or unknown token).
// Everything else on the dashboard works without this script.
(function () {
  "use strict";
  var INTERVAL = 2000;

  function poll(body) {
    var params = new URLSearchParams(window.location.search);
    params.delete("done");
    params.set("after", body.dataset.newest || "0");
    fetch(body.dataset.live + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.text() : ""; })
      .then(function (html) {
        if (html.trim()) {
          body.insertAdjacentHTML("afterbegin", html);
          var first = body.querySelector("tr[data-entry]");
          body.dataset.newest = first.dataset.entry;
          var empty = document.getElementById(body.id + "-empty");
          if (empty) { empty.remove(); }
        }
      })
      .catch(function () { /* the sandbox stopped: try again at the next tick */ })
      .finally(function () { window.setTimeout(function () { poll(body); }, INTERVAL); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("tbody[data-live]").forEach(function (body) {
      window.setTimeout(function () { poll(body); }, INTERVAL);
    });
    var problems = document.getElementById("problems");
    if (problems) { problems.focus(); }
  });
})();
