// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // One submit per form: a double click on Pay sends one request.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (form.dataset.sent) { e.preventDefault(); return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); b.classList.add("busy"); });
    });
  });
  // Hints about a gateway's button only make sense when its script can run.
  document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
  // Forms that hand over to a gateway submit themselves.
  var auto = document.querySelector("form[data-autosubmit]");
  if (auto) { auto.submit(); }
  // Printable receipts get a print button.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  // The paid page returns to the shop by itself after a visible countdown; "Stay" stops it
  // (WCAG 2.2.1). Without JavaScript the shopper follows the link.
  var cd = document.querySelector("[data-countdown]");
  if (cd && cd.dataset.href) {
    var left = parseInt(cd.dataset.countdown, 10), secs = cd.querySelector(".secs");
    cd.hidden = false;
    var t = setInterval(function () {
      left -= 1;
      if (left <= 0) { clearInterval(t); window.location.assign(cd.dataset.href); return; }
      secs.textContent = String(left);
    }, 1000);
    cd.querySelector("[data-stay]").addEventListener("click", function () { clearInterval(t); cd.hidden = true; });
  }
  // The pending page polls its status politely (3s, growing to 15s) and reloads on a change.
  var st = document.querySelector("[data-testid=order-status][data-poll]");
  if (st && st.dataset.poll && st.dataset.status === "pending") {
    var delay = 3000;
    var poll = function () {
      fetch(st.dataset.poll, { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (j && j.status && j.status !== "pending") { window.location.reload(); return; }
          delay = Math.min(delay * 1.5, 15000);
          setTimeout(poll, delay);
        })
        .catch(function () { delay = Math.min(delay * 2, 30000); setTimeout(poll, delay); });
    };
    setTimeout(poll, delay);
  }
})();
