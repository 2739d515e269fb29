// Zhiheng's few behaviours, bound here rather than inline so that the Content-Security-Policy can
// refuse every inline script (issue 10): [data-autosubmit] submits its form on change; [data-print]
// prints the page; [data-nav-toggle] opens and closes the main menu on narrow screens (issue 13);
// [data-seconds-left] counts down an online exam's time (R-GATE-1).
document.documentElement.classList.add("js");  // without script the menu simply stays open
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
  var toggle = event.target.closest("[data-nav-toggle]");
  if (toggle) {
    var bar = toggle.closest("[data-topbar]");
    var open = bar.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var bar = document.querySelector("[data-topbar].open");
  if (!bar) return;
  bar.classList.remove("open");
  var toggle = bar.querySelector("[data-nav-toggle]");
  toggle.setAttribute("aria-expanded", "false");
  toggle.focus();
});
// [data-seconds-left] counts down the seconds the server gave when it rendered the page (the server's clock
// decides what counts; this only shows it) and, at zero, hands in the form named by data-timeout-form
// through its [data-timeout-submit] button.
(function () {
  var rendered = Date.now();
  function tick() {
    document.querySelectorAll("[data-seconds-left]").forEach(function (el) {
      var left = Math.max(0, Number(el.dataset.secondsLeft) - Math.floor((Date.now() - rendered) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      el.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left === 0 && !el.dataset.handedIn) {
        el.dataset.handedIn = "1";
        var form = document.getElementById(el.dataset.timeoutForm);
        var button = form && form.querySelector("[data-timeout-submit]");
        if (button) form.requestSubmit(button);
      }
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  setInterval(tick, 1000);
})();
