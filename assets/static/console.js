// Progressive enhancement of the merchant console only: every page works without this file.
(function () {
  "use strict";
  // Times are shown in the viewer's zone: tell the server which one (without JavaScript: UTC,
  // and the footer says so).
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf("tz=" + tz) < 0) {
      document.cookie = "tz=" + tz + "; path=/admin; SameSite=Strict; max-age=31536000";
    }
  } catch (e) { /* old browser: UTC */ }
  // A secret or link field selects itself on focus, and its copy button copies it.
  document.querySelectorAll("[data-select]").forEach(function (el) {
    el.addEventListener("focus", function () { el.select(); });
  });
  document.querySelectorAll("[data-copy]").forEach(function (b) {
    var target = document.getElementById(b.dataset.copy);
    if (!target || !navigator.clipboard) { return; }
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value).then(function () {
        var status = document.getElementById(b.dataset.copy + "-status");
        if (status) { status.textContent = b.dataset.done; }
      });
    });
  });
})();
