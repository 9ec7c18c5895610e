// Several processes on one page (docs/cross-process.md, "Report"): a header row per process
// (its name, trace file and clock) above its goroutines' groups, and the arrows across
// processes: a request (the client's send to the server's request context) and a cancel (the
// caller's context done to each server goroutine its cancel woke), each with its hover card.

// Each process's header, then its groups (already in process order).
function withProcessHeaders(sorted) {
  const out = [];
  PROCS.forEach((p, pi) => {
    const rows = [];
    for (let i = 0; i < N; i++) if (G.p[i] === pi) rows.push(i);
    out.push({ header: true, proc: pi, name: p.name, sub: p.trace + " \u00b7 clock: " + p.clock,
      rows, collapsed: false, density: null, runtime: false, first: rows.length ? rows[0] : 0 });
    for (const g of sorted) if (g.proc === pi) out.push(g);
  });
  return out;
}
function processHeader(proc) {
  return groups.find((g) => g.header && g.proc === proc) || null;
}
function drawProcessHeader(ctx, g, y, w) {
  ctx.fillStyle = COLORS.process_bg;
  ctx.fillRect(0, y, w, ROW_H);
  ctx.fillStyle = COLORS.text;
  ctx.font = "700 11px system-ui, sans-serif";
  clipText(ctx, (g.collapsed ? "\u25b8 " : "\u25be ") + g.name, 6, y + ROW_H / 2, LABEL_W - 52);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = COLORS.muted;
  ctx.textAlign = "right";
  ctx.fillText("\u00d7" + g.rows.length, LABEL_W - 8, y + ROW_H / 2);
  ctx.textAlign = "left";
  clipText(ctx, g.sub, LABEL_W + 8, y + ROW_H / 2, w - LABEL_W - 16);
}

// The row an arrow's end is drawn at: its goroutine's, else (folded) its group's or its
// process's header; -1 when none is on screen.
function arrowEndRow(id) {
  const r = rowOfId.get(id);
  if (r === undefined) return -1;
  if (displayIndexOf[r] >= 0) return displayIndexOf[r];
  const g = groupOfRow[r];
  const gd = display.indexOf(-g - 1);
  if (gd >= 0) return gd;
  return display.indexOf(-groups.indexOf(processHeader(groups[g].proc)) - 1);
}
let crossDrawn = [];  // [x0, y0, x1, y1, arrow] as last drawn (hover, tests)
function drawCrossArrows(ctx) {
  crossDrawn = [];
  const w = tlCanvas.clientWidth, h = scroller.clientHeight;
  for (const a of D.xarrows) {
    const da = arrowEndRow(a.a), db = arrowEndRow(a.b);
    if (da < 0 || db < 0) continue;
    const x0 = X(a.ta), x1 = Math.max(X(a.tb), x0 + 4);
    const y0 = rowY(da) + ROW_H / 2, y1 = rowY(db) + ROW_H / 2;
    if ((x0 < LABEL_W && x1 < LABEL_W) || (x0 > w && x1 > w) || (y0 < 0 && y1 < 0) || (y0 > h && y1 > h)) continue;
    const color = a.k === "cancel" ? COLORS.cross_cancel : COLORS.cross_request;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 1.5;
    if (a.k === "request") ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
    ctx.setLineDash([]);
    // The head, along the line.
    const ang = Math.atan2(y1 - y0, x1 - x0);
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - 7 * Math.cos(ang - 0.45), y1 - 7 * Math.sin(ang - 0.45));
    ctx.lineTo(x1 - 7 * Math.cos(ang + 0.45), y1 - 7 * Math.sin(ang + 0.45));
    ctx.fill();
    ctx.lineWidth = 1;
    crossDrawn.push([x0, y0, x1, y1, a]);
  }
}
// The arrow within 4 pixels of (x, y) on the timeline canvas, or null.
function crossArrowAt(x, y) {
  let best = null, bestD = 4;
  for (const [x0, y0, x1, y1, a] of crossDrawn) {
    const dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy || 1;
    const u = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
    const d = Math.hypot(x - (x0 + u * dx), y - (y0 + u * dy));
    if (d <= bestD) { best = a; bestD = d; }
  }
  return best;
}
