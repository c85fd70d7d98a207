// The only script besides htmx. No inline scripts anywhere: the CSP forbids them.
// Forms that destroy or retire something ask for confirmation through a normal page
// (works without JavaScript); here we only move focus to the first error after a swap.
document.addEventListener("htmx:afterSwap", function (event) {
  var invalid = event.detail.target.querySelector("[aria-invalid=true]");
  if (invalid) { invalid.focus(); }
});

// Print pages: the "In" button (a CSP-safe replacement for onclick="print()").
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
