// Timeline drawing: the time axis, one row per goroutine (state bands, creation and end
// markers), folded group rows, cancel waves, and the spawn and wake edges.

// Band colours per interval code: running, runnable, syscall, and waiting by reason.
const codeColor = [];
for (let c = 0; c < NCODES; c++) codeColor.push(stateColor(codeState[c], str(D.codes[2 * c + 1])));
function stateColor(st, reason) {
  if (st === ST_RUNNING) return COLORS.running;
  if (st === ST_RUNNABLE) return COLORS.runnable;
  if (st === ST_SYSCALL) return COLORS.syscall;
  if (st !== ST_WAITING) return null;
  if (/select/.test(reason)) return COLORS.select;
  if (/chan/.test(reason)) return COLORS.chan;
  if (/sync|mutex|WaitGroup|cond/i.test(reason)) return COLORS.sync;
  if (/sleep/.test(reason)) return COLORS.sleep;
  if (/IO wait|network|netpoll|syscall/i.test(reason)) return COLORS.io;
  return COLORS.other;
}
// The words written on a band wide enough: the wait reason, or the state.
const codeText = [];
for (let c = 0; c < NCODES; c++) {
  const reason = str(D.codes[2 * c + 1]);
  codeText.push(codeState[c] === ST_WAITING && reason ? reason : STATE_NAMES[codeState[c]] || "");
}
const BAND_TEXT_MIN_PX = 70;
// Which state wins a pixel, per state: running > syscall > runnable > waiting > the others. A
// reduced report's bands were merged in the same order (telling() in src/render/interval_budget.cc).
const PRIORITY = STATE_NAMES.map((name) => ({ running: 4, syscall: 3, runnable: 2, waiting: 1 })[name] || 0);

// ---- time axis -------------------------------------------------------------------------
function niceStep(range, px, target) {
  const raw = (range * target) / Math.max(1, px);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
// Zoomed far in, late in a trace, absolute labels need many digits ("999300 µs"): the first
// tick is labelled in full and the others as offsets from it ("+100 µs").
function tickLabels(ticks, step) {
  const unit = step >= 1e9 ? 1e9 : step >= 1e6 ? 1e6 : step >= 1e3 ? 1e3 : 1;
  const digits = ticks.length ? String(Math.floor(Math.abs(ticks[ticks.length - 1]) / unit)).length : 0;
  if (digits <= 4 || ticks.length < 2) return ticks.map((t) => tickLabel(t, step));
  const base = ticks[0];
  return ticks.map((t, k) => (k === 0 ? fmtDur(base, 7) : "+" + tickLabel(t - base, step)));
}
function tickLabel(t, step) {
  if (step >= 1e9) return +(t / 1e9).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1e9)))) + " s";
  if (step >= 1e6) return +(t / 1e6).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1e6)))) + " ms";
  if (step >= 1e3) return +(t / 1e3).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1e3)))) + " \u00b5s";
  return Math.round(t) + " ns";
}
function forTicks(fn) {
  const step = niceStep(view.t1 - view.t0, plotW(), 110);
  const first = Math.ceil(view.t0 / step) * step;
  for (let t = first; t <= view.t1; t += step) fn(t, step);
}
function drawAxis() {
  const ctx = fitCanvas(axisCanvas, 26);
  const w = axisCanvas.clientWidth;
  ctx.clearRect(0, 0, w, 26);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, 26);
  ctx.fillStyle = COLORS.muted;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  ctx.fillText("visible " + fmtDur(view.t1 - view.t0) + " of " + fmtDur(DUR), 8, 13);
  ctx.strokeStyle = "#c5ccd5";
  ctx.beginPath();
  ctx.moveTo(LABEL_W, 25.5);
  ctx.lineTo(w, 25.5);
  const ticks = [];
  let tickStep = 0;
  forTicks((t, step) => { ticks.push(t); tickStep = step; });
  const labels = tickLabels(ticks, tickStep);
  axisLabels = [];
  ctx.fillStyle = COLORS.text;
  ticks.forEach((t, k) => {
    const x = Math.round(X(t)) + 0.5;
    ctx.moveTo(x, 17);
    ctx.lineTo(x, 26);
    // A label that would run off the right edge is left out rather than cut.
    const width = ctx.measureText(labels[k]).width;
    if (x + 3 + width > w) return;
    ctx.fillText(labels[k], x + 3, 10);
    axisLabels.push([x + 3, labels[k], width]);
  });
  ctx.stroke();
  for (const wv of D.waves) {
    const x = X(wv.t);
    if (x < LABEL_W || x > w) continue;
    ctx.fillStyle = waveColor(wv);
    ctx.beginPath();
    ctx.moveTo(x - 5, 16);
    ctx.lineTo(x + 5, 16);
    ctx.lineTo(x, 25);
    ctx.fill();
  }
  drawWaveLabels(ctx, w);
}
let waveLabels = [];  // as last drawn (tests)
let waveClusters = [];  // [x, width, first wave time, last wave time, waves hidden] as last drawn
let axisLabels = [];  // [x, text, width] as last drawn (tests)
// A wave the program's own code started stands out; one whose cancelling stack lies wholly in
// the standard library or the runtime (net/http's connReader cancels a request's context when
// its connection reads an error) is drawn lighter. A deadline is the program's own.
function waveIsLibrary(wv) {
  if (wv.lib === undefined) wv.lib = !wv.timer && wv.stk > 0 && D.stkA !== undefined && D.stkA[wv.stk] < 0;
  return wv.lib;
}
function waveColor(wv) { return waveIsLibrary(wv) ? COLORS.wave_lib : COLORS.wave; }
// Wave labels sit in the axis, beside their marks, not over the first row. Labels that would
// overlap the one before are counted into it ("cancel #3 +7") instead of piling up; the
// cluster's label names its first wave of the program's own if it has one. Clicking a cluster's
// label zooms onto its waves (onAxisClick).
function drawWaveLabels(ctx, w) {
  ctx.font = "10px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  const shown = [];  // [x, wave, hidden, first time, last time]
  let right = -Infinity;
  const label = (wv) => (wv.timer ? "deadline #" : "cancel #") + localWave(wv.id);
  for (const wv of D.waves) {
    const x = X(wv.t);
    if (x < LABEL_W || x > w) continue;
    if (x + 7 < right + 4 && shown.length) {
      const c = shown[shown.length - 1];
      c[2]++;
      c[4] = wv.t;
      if (waveIsLibrary(c[1]) && !waveIsLibrary(wv)) c[1] = wv;
      continue;
    }
    shown.push([x, wv, 0, wv.t, wv.t]);
    right = x + 7 + ctx.measureText(label(wv) + " +999").width;
  }
  waveLabels = [];
  waveClusters = [];
  for (const [x, wv, hidden, first, last] of shown) {
    const text = hidden ? label(wv) + " +" + hidden : label(wv);
    const width = ctx.measureText(text).width;
    waveLabels.push(text);
    waveClusters.push([x + 6, width + 2, first, last, hidden]);
    ctx.fillStyle = "#fff";
    ctx.fillRect(x + 6, 15, width + 2, 10);
    ctx.fillStyle = waveColor(wv);
    ctx.fillText(text, x + 7, 20);
  }
}
// A click on a cluster's label zooms onto its waves, a margin around them, so they part.
function onAxisClick(x) {
  const c = waveClusters.find(([x0, width, , , hidden]) => hidden > 0 && x >= x0 - 2 && x <= x0 + width + 2);
  if (!c) return false;
  const [, , first, last] = c;
  const pad = Math.max((last - first) * 0.15, 1000);
  setRange(first - pad, last + pad);
  return true;
}

// ---- timeline --------------------------------------------------------------------------
function firstVisibleInterval(i, t0) {
  let lo = ivo[i], hi = ivo[i + 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ivE[mid] < t0) lo = mid + 1; else hi = mid;
  }
  return lo;
}
function firstEndingAfter(lo, hi, t) {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ivE[mid] <= t) lo = mid + 1; else hi = mid;
  }
  return lo;
}
// Draws the visible bands of one row. An interval a pixel wide or more is drawn in its colour
// from where the pixels before it were painted. Intervals thinner than a pixel share it: of
// the first few that end inside the pixel the most telling state wins, and the rest of the
// pixel is skipped with a binary search, so a row costs O(pixels * log intervals) however many
// intervals it has. An interval that starts inside a pixel and runs past it is never summarised
// away: it is drawn from the next pixel on (a 10 µs run, then a 1 s wait, shows the wait at
// every zoom).
function drawRowBands(ctx, i, y, h) {
  const t1 = view.t1, right = tlCanvas.clientWidth;
  const end = ivo[i + 1];
  let painted = LABEL_W;  // this row's pixels left of here are painted
  let k = firstVisibleInterval(i, view.t0);
  while (k < end) {
    const b = ivB[k];
    if (b > t1) break;
    const x0 = Math.max(X(b), painted), x1 = Math.min(X(ivE[k]), right);
    if (x1 - x0 >= 1) {
      const color = codeColor[ivC[k]];
      if (color) {
        ctx.fillStyle = color;
        ctx.fillRect(x0, y, x1 - x0, h);
        if (x1 - x0 >= BAND_TEXT_MIN_PX && codeText[ivC[k]]) labelBand(ctx, codeText[ivC[k]], x0, x1, y, h);
      }
      painted = x1;
      k++;
      continue;
    }
    // What is left of interval k is thinner than a pixel: summarise the pixel it is in with
    // the intervals that end inside it too.
    const px = Math.floor(x0);
    const pxEnd = T(px + 1);
    let best = k, bestPri = codeColor[ivC[k]] ? PRIORITY[codeState[ivC[k]]] : -1;
    let j = k + 1;
    for (let n = 1; j < end && ivE[j] <= pxEnd && n < 8; j++, n++) {
      const pri = codeColor[ivC[j]] ? PRIORITY[codeState[ivC[j]]] : -1;
      if (pri > bestPri) { bestPri = pri; best = j; }
    }
    if (bestPri >= 0 && px >= LABEL_W && px < right) {
      ctx.fillStyle = codeColor[ivC[best]];
      ctx.fillRect(px, y, 1, h);
    }
    painted = Math.max(painted, px + 1);
    // More than a few end inside this pixel: skip to the first that runs past it.
    k = j < end && ivE[j] <= pxEnd ? firstEndingAfter(j, end, pxEnd) : j;
  }
}
// The band's words, in its lower part (its top pixels stay its colour), cut to its width.
function labelBand(ctx, text, x0, x1, y, h) {
  ctx.save();
  ctx.font = "9px system-ui, sans-serif";
  ctx.fillStyle = COLORS.band_text;
  ctx.textBaseline = "alphabetic";
  ctx.beginPath();
  ctx.rect(x0, y, x1 - x0, h);
  ctx.clip();
  ctx.fillText(text, x0 + 3, y + h - 2);
  ctx.restore();
}
function visibleRange() {
  const h = scroller.clientHeight;
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_H));
  const last = Math.min(display.length - 1, Math.ceil((scroller.scrollTop + h) / ROW_H));
  return [first, last];
}
function rowY(d) { return d * ROW_H - scroller.scrollTop; }

function drawTimeline() {
  const h = scroller.clientHeight;
  const ctx = fitCanvas(tlCanvas, h);
  const w = tlCanvas.clientWidth;
  ctx.clearRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  // Grid.
  ctx.strokeStyle = COLORS.grid;
  ctx.beginPath();
  forTicks((t) => { const x = Math.round(X(t)) + 0.5; ctx.moveTo(x, 0); ctx.lineTo(x, h); });
  ctx.stroke();
  const [first, last] = visibleRange();
  for (let d = first; d <= last; d++) {
    const r = display[d];
    const y = rowY(d);
    if (r < 0) drawGroupRow(ctx, groups[-r - 1], y, w);
    else drawGoroutineRow(ctx, r, y, d);
  }
  drawWaves(ctx, first, last, h);
  if (PROCS) drawCrossArrows(ctx);
  if (view.mark >= 0) {
    const x = X(view.mark);
    if (x >= LABEL_W && x <= w) {
      ctx.fillStyle = "rgba(224, 138, 0, 0.9)";
      ctx.fillRect(x - 1, 0, 2, h);
    }
  }
  if (showEdges) drawEdges(ctx, first, last);
  // Label column divider.
  ctx.strokeStyle = "#c5ccd5";
  ctx.beginPath();
  ctx.moveTo(LABEL_W - 0.5, 0);
  ctx.lineTo(LABEL_W - 0.5, h);
  ctx.stroke();
  if (view.mouseX >= LABEL_W) {
    ctx.strokeStyle = "rgba(0,0,0,0.35)";
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(view.mouseX + 0.5, 0);
    ctx.lineTo(view.mouseX + 0.5, h);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
function drawGroupRow(ctx, g, y, w) {
  if (g.header) { drawProcessHeader(ctx, g, y, w); return; }
  ctx.fillStyle = COLORS.group_bg;
  ctx.fillRect(0, y, w, ROW_H);
  ctx.fillStyle = "#dde2e8";
  ctx.fillRect(0, y + ROW_H - 1, w, 1);
  ctx.fillStyle = COLORS.text;
  ctx.font = "600 11px system-ui, sans-serif";
  const label = (g.collapsed ? "\u25b8 " : "\u25be ") + g.name;
  clipText(ctx, label, 6, y + ROW_H / 2, LABEL_W - 52);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = COLORS.muted;
  ctx.textAlign = "right";
  ctx.fillText("\u00d7" + g.rows.length, LABEL_W - 8, y + ROW_H / 2);
  ctx.textAlign = "left";
  if (!g.collapsed) return;
  // Collapsed: how many of its goroutines are alive, as a density strip.
  const d = groupDensity(g);
  const pw = plotW();
  for (let px = 0; px < pw; px += 2) {
    const t = T(LABEL_W + px);
    if (t < 0 || t > DUR) continue;
    const v = d[Math.min(DENSITY_BINS, Math.floor((t / DUR) * DENSITY_BINS))];
    if (v <= 0) continue;
    ctx.fillStyle = "rgba(47, 110, 180," + (0.15 + 0.75 * (v / g.densityMax)).toFixed(3) + ")";
    ctx.fillRect(LABEL_W + px, y + 4, 2, ROW_H - 8);
  }
}
function clipText(ctx, s, x, y, maxW) {
  ctx.fillText(fitText(ctx, s, maxW), x, y);
}
// s cut to maxW pixels. A Go function name keeps its package ("net/http.") and the end of
// the rest ("…Handler).ServeHTTP"): both tell where it is, the middle least.
function fitText(ctx, s, maxW) {
  if (ctx.measureText(s).width <= maxW) return s;
  const slash = s.lastIndexOf("/");
  const dot = s.indexOf(".", slash + 1);
  // The package's full path, else its name ("trace." of "runtime/trace."), else nothing.
  let head = dot > 0 ? s.slice(0, dot + 1) : "";
  if (ctx.measureText(head + "\u2026").width > maxW * 0.6) head = dot > 0 ? s.slice(slash + 1, dot + 1) : "";
  if (ctx.measureText(head + "\u2026").width > maxW * 0.6) head = "";
  let lo = 0, hi = s.length - head.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(head + "\u2026" + s.slice(s.length - mid)).width <= maxW) lo = mid; else hi = mid - 1;
  }
  return head + "\u2026" + s.slice(s.length - lo);
}
function drawGoroutineRow(ctx, i, y, d) {
  const w = tlCanvas.clientWidth;
  if (selected.has(i)) { ctx.fillStyle = COLORS.select_row; ctx.fillRect(0, y, w, ROW_H); }
  else if (d === view.hoverRow) { ctx.fillStyle = COLORS.hover_row; ctx.fillRect(0, y, w, ROW_H); }
  ctx.fillStyle = selected.has(i) ? "#7a4b00" : COLORS.text;
  ctx.font = (selected.has(i) ? "600 " : "") + "11px system-ui, sans-serif";
  ctx.fillText("G" + localId(G.id[i]), 18, y + ROW_H / 2);
  ctx.fillStyle = COLORS.muted;
  clipText(ctx, fnName(i), 76, y + ROW_H / 2, LABEL_W - 82);
  ctx.font = "11px system-ui, sans-serif";
  drawRowBands(ctx, i, y + 3, ROW_H - 6);
  // Creation and end markers.
  if (G.ct[i] >= 0) {
    const x = X(G.ct[i]);
    if (x >= LABEL_W && x <= w) {
      ctx.fillStyle = "#1b6e3a";
      ctx.beginPath();
      ctx.moveTo(x, y + 2); ctx.lineTo(x + 5, y + ROW_H / 2); ctx.lineTo(x, y + ROW_H - 2);
      ctx.fill();
    }
  }
  if (G.et[i] >= 0) {
    const x = X(G.et[i]);
    if (x >= LABEL_W && x <= w) {
      ctx.fillStyle = "#333";
      ctx.fillRect(x - 1, y + 2, 2, ROW_H - 4);
    }
  } else if (G.st[i] === ST_WAITING || G.st[i] === ST_RUNNABLE || G.st[i] === ST_RUNNING || G.st[i] === ST_SYSCALL) {
    // Alive at trace end: a small open arrow at the right edge of the trace.
    const x = X(DUR);
    if (x >= LABEL_W && x <= w + 6) {
      ctx.strokeStyle = "#b03030";
      ctx.beginPath();
      ctx.moveTo(x - 6, y + 4); ctx.lineTo(x, y + ROW_H / 2); ctx.lineTo(x - 6, y + ROW_H - 4);
      ctx.stroke();
    }
  }
}
function arrowHead(ctx, x, y, dir) {
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x - 6 * dir, y - 4);
  ctx.lineTo(x - 6 * dir, y + 4);
  ctx.fill();
}
function drawWaves(ctx, first, last, h) {
  for (const wv of D.waves) {
    const x = X(wv.t);
    if (x < LABEL_W - 50 || x > tlCanvas.clientWidth + 50) continue;
    ctx.strokeStyle = waveColor(wv);
    ctx.fillStyle = waveColor(wv);
    ctx.lineWidth = waveIsLibrary(wv) ? 1 : 1.5;
    ctx.setLineDash([5, 3]);
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, h);
    ctx.stroke();
    ctx.setLineDash([]);
    if (!wv.rows) wv.rows = Int32Array.from({ length: wv.w.length / 3 }, (_, j) => rowOfId.get(wv.w[3 * j]) ?? -1);
    for (let j = 0; j < wv.rows.length; j++) {
      const k = 3 * j;
      const r = wv.rows[j];
      if (r < 0) continue;
      const d = displayIndexOf[r];
      if (d < first || d > last || d < 0) continue;
      const y = rowY(d) + ROW_H / 2;
      const xw = Math.max(X(wv.w[k + 1]), x + 8);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(xw, y);
      ctx.stroke();
      arrowHead(ctx, xw, y, 1);
    }
    ctx.lineWidth = 1;
  }
}
function drawEdges(ctx, first, last) {
  let drawn = 0;
  ctx.lineWidth = 1;
  for (let d = first; d <= last && drawn < 3000; d++) {
    const i = display[d];
    if (i < 0) continue;
    const y = rowY(d) + ROW_H / 2;
    // Spawn: from the creator's row at the creation time.
    const c = rowOfId.get(G.cr[i]);
    if (c !== undefined && G.ct[i] >= 0 && displayIndexOf[c] >= 0) {
      const x = X(G.ct[i]);
      const yc = rowY(displayIndexOf[c]) + ROW_H / 2;
      ctx.strokeStyle = "rgba(27, 110, 58, 0.8)";
      ctx.fillStyle = "rgba(27, 110, 58, 0.8)";
      ctx.beginPath();
      ctx.moveTo(x, yc);
      ctx.bezierCurveTo(x - 12, (yc + y) / 2, x - 12, (yc + y) / 2, x, y);
      ctx.stroke();
      drawn++;
    }
    // Wakes: from the waker's row at the end of each wait.
    for (let k = firstVisibleInterval(i, view.t0), end = ivo[i + 1]; k < end && ivB[k] <= view.t1; k++) {
      if (ivW[k] < 0 || codeState[ivC[k]] !== ST_WAITING) continue;
      const wr = rowOfId.get(ivW[k]);
      if (wr === undefined || displayIndexOf[wr] < 0) continue;
      const x = X(ivE[k]);
      const yw = rowY(displayIndexOf[wr]) + ROW_H / 2;
      ctx.strokeStyle = "rgba(40, 90, 190, 0.7)";
      ctx.fillStyle = "rgba(40, 90, 190, 0.7)";
      ctx.beginPath();
      ctx.moveTo(x, yw);
      ctx.lineTo(x, y);
      ctx.stroke();
      ctx.beginPath();
      const dir = y > yw ? 1 : -1;
      ctx.moveTo(x, y);
      ctx.lineTo(x - 3, y - 5 * dir);
      ctx.lineTo(x + 3, y - 5 * dir);
      ctx.fill();
      drawn++;
    }
  }
}
