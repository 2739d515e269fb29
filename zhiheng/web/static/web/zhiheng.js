// Zhiheng's few behaviours, bound here rather than inline so that the Content-Security-Policy can
// refuse every inline script (issue 10): [data-autosubmit] submits its form on change; [data-print]
// prints the page.
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
