// Start: the first draw, the hooks tests and scripts read (window.ctxtrailReport), and the
// ready mark (body[data-ready="1"]).
const tDecoded = performance.now();
rebuildDisplay();
drawAll();
const tDrawn = performance.now();
// For tests and scripts: what is on screen.
window.ctxtrailReport = {
  view: () => ({ t0: view.t0, t1: view.t1 }),
  rows: () => display.length,
  selected: () => Array.from(selected).map((r) => G.id[r]),
  visibleGoroutines: () => { const [a, b] = visibleRange(); return display.slice(a, b + 1).filter((r) => r >= 0).map((r) => G.id[r]); },
  frame: () => Object.assign({}, frameMs),
  timings: { parse: tParsed - tStart, decode: tDecoded - tParsed, draw: tDrawn - tDecoded },
  expandAll: () => { for (const g of groups) g.collapsed = false; rebuildDisplay(); redraw(); },
};
document.body.dataset.ready = "1";
