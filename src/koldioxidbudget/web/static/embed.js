/* Koldioxidbudget embed helper: resizes every iframe from this site to its content's height.
   Paste once per page after the iframe(s). Sets no cookies and loads nothing. */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script ? new URL(script.src, location.href).origin : null;
  window.addEventListener("message", function (e) {
    if (origin && e.origin !== origin && origin !== "null") return;
    var d = e.data;
    if (!d || d.type !== "koldioxidbudget:height" || typeof d.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-koldioxidbudget]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) {
        frames[i].style.height = Math.max(200, Math.min(20000, d.height)) + "px";
      }
    }
  });
})();
