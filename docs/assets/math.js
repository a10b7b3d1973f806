// Typeset the math that pymdownx.arithmatex (generic mode) left as \(..\) / \[..\] inside
// .arithmatex elements, with the vendored KaTeX. Only those elements: a "$" in code or in a
// snippet's output is never touched. Re-run on every page change of mkdocs-material.
document$.subscribe(({ body }) => {
  for (const element of body.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  }
  // A display equation wider than the column scrolls: let the keyboard reach it too. Measure
  // once KaTeX's fonts are in, since they change the width.
  document.fonts.ready.then(() => {
    for (const element of body.querySelectorAll("div.arithmatex")) {
      if (element.scrollWidth > element.clientWidth) {
        element.tabIndex = 0;
      }
    }
  });
});
