// Zhiheng's few behaviours, bound here rather than inline so that the Content-Security-Policy can
// refuse every inline script (issue 10): [data-autosubmit] submits its form on change; [data-print]
// prints the page; [data-nav-toggle] opens and closes the main menu on narrow screens (issue 13).
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
