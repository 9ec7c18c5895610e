// Start: the first draw, the hooks tests and scripts read (window.ctxtrailReport), and the
// ready mark (body[data-ready="1"]).
const tDecoded = performance.now();
rebuildDisplay();
drawAll();
const tDrawn = performance.now();
// The colours of canvas c's pixel row y (CSS pixels) from time a to time b, one [r, g, b] each.
function readRow(c, y, a, b) {
  const ratio = c.width / c.clientWidth;
  const x0 = Math.max(LABEL_W, Math.ceil(X(a))), x1 = Math.min(c.clientWidth, Math.floor(X(b)));
  if (x1 <= x0) return [];
  const img = c.getContext("2d").getImageData(Math.round(x0 * ratio), Math.round(y * ratio), Math.round((x1 - x0) * ratio), 1).data;
  const out = [];
  for (let x = 0; x < x1 - x0; x++) {
    const o = Math.round(x * ratio) * 4;
    out.push([img[o], img[o + 1], img[o + 2]]);
  }
  return out;
}
// For tests and scripts: what is on screen.
window.ctxtrailReport = {
  view: () => ({ t0: view.t0, t1: view.t1 }),
  rows: () => display.length,
  selected: () => Array.from(selected).map((r) => G.id[r]),
  visibleGoroutines: () => { const [a, b] = visibleRange(); return display.slice(a, b + 1).filter((r) => r >= 0).map((r) => G.id[r]); },
  frame: () => Object.assign({}, frameMs),
  timings: { parse: tParsed - tStart, decode: tDecoded - tParsed, draw: tDrawn - tDecoded },
  expandAll: () => { for (const g of groups) g.collapsed = false; rebuildDisplay(); redraw(); },
  duration: () => DUR,
  waveTimes: () => D.waves.map((w) => w.t),
  setView: (t0, t1) => { view.t0 = t0; view.t1 = t1; drawAll(); },
  // The colours painted along goroutine goid's row (dy pixels below its top: by default two
  // into its band, above the words a wide band carries) from time a to time b, one [r, g, b] per pixel, read back from the
  // canvas (the row is scrolled into view first); null when the goroutine has no row.
  rowColors: (goid, a, b, dy = 5) => {
    const r = G.id.indexOf(goid);
    const d = display.indexOf(r);
    if (r < 0 || d < 0) return null;
    scroller.scrollTop = Math.max(0, d * ROW_H - scroller.clientHeight / 2);
    drawAll();
    return readRow(tlCanvas, rowY(d) + dy, a, b);
  },
  stateColor: (name) => COLORS[name],
  // The lanes (65-lanes.js): their P IDs, counts and layout as last drawn.
  lanes: () => lanesInfo(),
  goColor: (id) => goColor(id),
  // The hover card's [title, detail] on lane `key` at time t, or null.
  laneTip: (key, t) => laneTip(key, t),
  nameColor: (si) => nameColor(si),
  // The colours painted along lane `key` ("gc", "stw", "p0", "t0", "r7/0") of the procs or
  // tasks canvas, from time a to time b, one [r, g, b] per pixel; null when there is no such lane.
  laneColors: (key, a, b) => {
    drawAll();
    for (const [c, layout] of [[procsCanvas, procsLayout], [tasksCanvas, tasksLayout]]) {
      const lane = layout.find((l) => l[0] === key);
      if (!lane) continue;
      return readRow(c, lane[2] + 1, a, b);  // its top: words sit lower
    }
    return null;
  },
  waveLabels: () => waveLabels.slice(),
  // The cluster labels as last drawn: [x, width, first wave time, last wave time, waves hidden].
  waveClusters: () => waveClusters.map((c) => c.slice()),
  // The colour of wave id's mark on the axis, read back from the canvas: [r, g, b].
  waveMarkColor: (id) => {
    drawAll();
    const wv = D.waves.find((w) => w.id === id);
    const ctx = axisCanvas.getContext("2d"), ratio = axisCanvas.width / axisCanvas.clientWidth;
    return Array.from(ctx.getImageData(Math.round(X(wv.t) * ratio), Math.round(18 * ratio), 1, 1).data.slice(0, 3));
  },
  axisLabels: () => axisLabels.map((a) => a.slice()),
  axisWidth: () => axisCanvas.clientWidth,
  // The name goroutine goid's row shows, cut to the label column as drawn.
  rowName: (goid) => {
    const ctx = tlCanvas.getContext("2d");
    ctx.font = "11px system-ui, sans-serif";
    return fitText(ctx, fnName(G.id.indexOf(goid)), LABEL_W - 82);
  },
  // Several processes (55-processes.js): the headers' names; per arrow across processes, its
  // kind and the rows its ends are at ("g" a goroutine's, "h" a process header, "-" none on
  // screen, or a folded group's name); the arrows as last drawn (canvas pixels); the times the
  // arrows of kind k start and end; folding process p.
  processes: () => groups.filter((g) => g.header).map((g) => g.name),
  crossArrowEnds: () => D.xarrows.map((a) => [a.k, ...[a.a, a.b].map((id) => {
    const d = arrowEndRow(id);
    if (d < 0) return "-";
    return display[d] >= 0 ? "g" : (groups[-display[d] - 1].header ? "h" : groups[-display[d] - 1].name);
  })]),
  crossArrows: () => { drawAll(); return crossDrawn.map(([x0, y0, x1, y1, a]) => ({ x0, y0, x1, y1, k: a.k, tip: a.tip })); },
  crossArrowTimes: (k) => (D.xarrows || []).filter((a) => a.k === k).flatMap((a) => [a.ta, a.tb]),
  foldProcess: (p) => { processHeader(p).collapsed = true; rebuildDisplay(); drawAll(); },
  // Each group's name and size, in display order.
  groups: () => groups.map((g) => [g.name, g.rows.length]),
  displayed: () => display.slice(0, 8).map((r) => (r >= 0 ? G.id[r] : -1)),
  // The text of the hover card of goroutine goid at time t (as the mouse over its row shows it).
  hoverText: (goid, t) => {
    const box = document.createElement("div");
    fillGoroutineSummary(box, G.id.indexOf(goid), t, 6);
    return Array.from(box.querySelectorAll("li")).map((li) => li.textContent).join("\n");
  },
};
document.body.dataset.ready = "1";
