/*
 * K-Payment Gateway sandbox: the script of the K-Payment form inside the
 * iframe. It tells the page that embeds the form (and only that origin) that
 * the card was tokenised, closes the modal on Escape, and counts down a QR's
 * lifetime. The form works without it: every step is a plain form POST.
 */
(function (window, document) {
  'use strict';

  var bridge = document.getElementById('kpay-bridge');
  var origin = bridge ? bridge.getAttribute('data-origin') : '';
  var embedded = window.parent && window.parent !== window;

  function post(message) {
    if (embedded && origin) {
      window.parent.postMessage(message, origin);
    }
  }

  if (bridge && bridge.getAttribute('data-message')) {
    try {
      post(JSON.parse(bridge.getAttribute('data-message')));
    } catch (e) {
      window.console && console.error('K-Payment: bad message', e);
    }
  }

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' || event.key === 'Esc') {
      post({ type: 'kpay:close' });
    }
  });

  function two(n) { return n < 10 ? '0' + n : String(n); }

  function clock(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor(seconds % 3600 / 60);
    var s = seconds % 60;
    return (h > 0 ? h + ':' + two(m) : String(m)) + ':' + two(s);
  }

  var countdown = document.querySelector('[data-kpay-countdown]');
  if (countdown) {
    var left = parseInt(countdown.getAttribute('data-kpay-countdown'), 10) || 0;
    var started = Date.now();
    var tick = function () {
      var rest = left - Math.floor((Date.now() - started) / 1000);
      if (rest <= 0) {
        countdown.textContent = countdown.getAttribute('data-expired-text') || '0:00';
        return;
      }
      countdown.textContent = clock(rest);
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})(window, document);
