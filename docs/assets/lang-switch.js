// Keep the reader's place when switching language: both twins share heading ids, so carry the
// current #anchor over to the other language's page.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[hreflang]");
  if (link && location.hash && !link.hash) {
    link.hash = location.hash;
  }
}, true);
