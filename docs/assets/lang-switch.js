// Keep the reader's place when switching language: both twins share heading ids, so carry the
// current #anchor over to the other language's page, and the ?query too (the interactive
// widgets keep their settings there: docs/assets/explorer.js).
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[hreflang]");
  if (link && location.search && !link.search) {
    link.search = location.search;
  }
  if (link && location.hash && !link.hash) {
    link.hash = location.hash;
  }
}, true);
