// ctxtrail's interactive report. Reads the report data (docs/report.md) from the
// JSON block with id "ctxtrail-data" and draws the timeline, plots, findings, termination DAG
// and details. Every string from the trace reaches the page through textContent or
// canvas fillText, never through innerHTML.
"use strict";
(function () {
  const tStart = performance.now();
  const D = JSON.parse(document.getElementById("ctxtrail-data").textContent);
  const tParsed = performance.now();
  const S = D.str;
  const G = D.g;
  const N = G.id.length;
  const DUR = Math.max(1, D.dur);

  // ---- constants -------------------------------------------------------------------------
  const ROW_H = 18;
  const LABEL_W = 230;
  const ST_UNDETERMINED = 0, ST_NOTEXIST = 1, ST_RUNNABLE = 2, ST_RUNNING = 3, ST_WAITING = 4, ST_SYSCALL = 5;
  const STATE_NAMES = ["undetermined", "not exist", "runnable", "running", "waiting", "syscall"];
  const KIND_NAMES = ["user", "main", "runtime", "testing", "test runner"];
  const COLORS = {
    running: "#2f9e5b", runnable: "#8cc4ec", syscall: "#f0a23b",
    chan: "#b9c3df", select: "#a9b6dc", sync: "#cdb4e6", sleep: "#d3d3d3", other: "#c4c9cf",
    wave: "#d62728", select_row: "rgba(255, 196, 0, 0.22)", hover_row: "rgba(40, 100, 200, 0.08)",
    grid: "#eceff3", text: "#1d2733", muted: "#6b7785", group_bg: "#f3f5f8",
  };

  // ---- decoding --------------------------------------------------------------------------
  const str = (i) => (i >= 0 && i < S.length ? S[i] : "");
  const fnName = (i) => str(G.fn[i]);
  const rowOfId = new Map();
  for (let i = 0; i < N; i++) rowOfId.set(G.id[i], i);

  // Intervals: absolute (trace-relative) begin / end per interval, code, stack, waker (-1: none).
  const ivo = D.ivo;
  const NIV = ivo[N] || 0;
  const ivB = new Float64Array(NIV), ivE = new Float64Array(NIV);
  const ivC = new Int32Array(NIV), ivS = new Int32Array(NIV), ivW = new Float64Array(NIV);
  {
    const iv = D.iv;
    for (let i = 0; i < N; i++) {
      let prev = 0;
      for (let k = ivo[i]; k < ivo[i + 1]; k++) {
        const o = k * 5;
        const b = prev + iv[o];
        const dur = iv[o + 1];
        const e = dur < 0 ? DUR : b + dur;
        ivB[k] = b; ivE[k] = e; ivC[k] = iv[o + 2]; ivS[k] = iv[o + 3]; ivW[k] = iv[o + 4];
        prev = dur < 0 ? b : e;
      }
    }
    D.iv = null;
  }
  const NCODES = D.codes.length / 2;
  const codeState = new Int32Array(NCODES), codeColor = [], codeLabel = [];
  for (let c = 0; c < NCODES; c++) {
    const st = D.codes[2 * c], reason = str(D.codes[2 * c + 1]);
    codeState[c] = st;
    codeLabel.push(stateLabel(st, reason));
    codeColor.push(stateColor(st, reason));
  }
  function stateLabel(st, reason) {
    if (st === ST_WAITING) return reason ? "waiting: " + reason : "waiting";
    return STATE_NAMES[st] || "?";
  }
  function stateColor(st, reason) {
    if (st === ST_RUNNING) return COLORS.running;
    if (st === ST_RUNNABLE) return COLORS.runnable;
    if (st === ST_SYSCALL) return COLORS.syscall;
    if (st !== ST_WAITING) return null;
    if (/select/.test(reason)) return COLORS.select;
    if (/chan/.test(reason)) return COLORS.chan;
    if (/sync|mutex|WaitGroup|cond/i.test(reason)) return COLORS.sync;
    if (/sleep/.test(reason)) return COLORS.sleep;
    return COLORS.other;
  }
  // Which state wins a pixel: running > syscall > runnable > waiting. A reduced report's bands
  // were merged in the same order (telling() in src/render/interval_budget.cc).
  const PRIORITY = [0, 0, 2, 4, 1, 3];

  // Lifespan of a goroutine row (for markers and zoom-to).
  const lifeBegin = (i) => (G.ct[i] >= 0 ? G.ct[i] : (ivo[i + 1] > ivo[i] ? ivB[ivo[i]] : 0));
  const lifeEnd = (i) => (G.et[i] >= 0 ? G.et[i] : DUR);

  // Logs per goroutine, waves woken per goroutine.
  const logsOf = new Map();
  for (let k = 0; k + 3 < D.logs.length; k += 4) {
    const g = D.logs[k + 1];
    if (!logsOf.has(g)) logsOf.set(g, []);
    logsOf.get(g).push(k);
  }
  const wokenBy = new Map();  // goroutine id -> [wave, woken at]
  for (const w of D.waves) {
    for (let k = 0; k + 2 < w.w.length; k += 3) wokenBy.set(w.w[k], [w.id, w.w[k + 1]]);
  }

  // ---- rows: groups by start function ----------------------------------------------------
  const groups = [];
  {
    const byFn = new Map();
    for (let i = 0; i < N; i++) {
      let g = byFn.get(G.fn[i]);
      if (!g) {
        g = { fn: G.fn[i], rows: [], collapsed: false, density: null, first: i };
        byFn.set(G.fn[i], g);
        groups.push(g);
      }
      g.rows.push(i);
    }
    for (const g of groups) {
      g.rows.sort((a, b) => G.id[a] - G.id[b]);
      g.collapsed = g.rows.length > 50 || (g.rows.length > 1 && G.kind[g.rows[0]] === 2);
      g.runtime = g.rows.every((i) => G.kind[i] === 2);
    }
    groups.sort((a, b) => (a.runtime - b.runtime) || (a.first - b.first));
  }
  const groupOfRow = new Int32Array(N);
  groups.forEach((g, gi) => { for (const i of g.rows) groupOfRow[i] = gi; });
  const DENSITY_BINS = 512;
  function groupDensity(g) {
    if (g.density) return g.density;
    const d = new Float32Array(DENSITY_BINS + 1);
    for (const i of g.rows) {
      const b = Math.floor((lifeBegin(i) / DUR) * DENSITY_BINS);
      const e = Math.floor((lifeEnd(i) / DUR) * DENSITY_BINS);
      d[Math.max(0, b)] += 1;
      d[Math.min(DENSITY_BINS, e + 1)] -= 1;
    }
    let run = 0, max = 1;
    for (let k = 0; k <= DENSITY_BINS; k++) { run += d[k]; d[k] = run; if (run > max) max = run; }
    g.densityMax = max;
    g.density = d;
    return d;
  }
  let display = [];  // >= 0: goroutine row index; < 0: -(group index) - 1
  let displayIndexOf = new Int32Array(N).fill(-1);
  function rebuildDisplay() {
    display = [];
    displayIndexOf.fill(-1);
    groups.forEach((g, gi) => {
      display.push(-gi - 1);
      if (!g.collapsed) for (const i of g.rows) { displayIndexOf[i] = display.length; display.push(i); }
    });
    sizeSpacer();
  }
  function sizeSpacer() {
    spacer.style.height = Math.max(0, display.length * ROW_H - scroller.clientHeight) + "px";
  }

  // ---- DOM -------------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  const scroller = $("tl-scroll"), spacer = $("tl-spacer");
  const tlCanvas = $("timeline"), axisCanvas = $("axis");
  const plotStates = $("plot-states"), plotHeap = $("plot-heap");
  const tooltip = $("tooltip");
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // ---- view state ------------------------------------------------------------------------
  const view = { t0: 0, t1: DUR, hoverRow: -1, mouseX: -1, mark: -1 };
  let selected = new Set();   // goroutine row indexes
  let searchHits = [];
  let searchPos = -1;
  let showEdges = false;
  const plotW = () => Math.max(10, tlCanvas.clientWidth - LABEL_W);
  const X = (t) => LABEL_W + ((t - view.t0) / (view.t1 - view.t0)) * plotW();
  const T = (x) => view.t0 + ((x - LABEL_W) / plotW()) * (view.t1 - view.t0);

  function fmtDur(ns, digits) {
    const a = Math.abs(ns);
    const d = digits === undefined ? 3 : digits;
    if (a < 1e3) return ns.toFixed(0) + " ns";
    if (a < 1e6) return +(ns / 1e3).toPrecision(d) + " \u00b5s";
    if (a < 1e9) return +(ns / 1e6).toPrecision(d) + " ms";
    return +(ns / 1e9).toPrecision(d + 1) + " s";
  }
  function fmtBytes(b) {
    if (b < 1024) return b + " B";
    if (b < 1 << 20) return (b / 1024).toFixed(1) + " KiB";
    if (b < 1 << 30) return (b / (1 << 20)).toFixed(1) + " MiB";
    return (b / (1 << 30)).toFixed(2) + " GiB";
  }
  function stackFrames(si) {
    const s = D.stk[si] || [];
    const out = [];
    for (let k = 0; k + 2 < s.length; k += 3) out.push({ fn: str(s[k]), file: str(s[k + 1]), line: s[k + 2] });
    return out;
  }
  function shortFile(f) {
    const parts = f.split("/");
    return parts.slice(-2).join("/");
  }

  // ---- canvas setup ----------------------------------------------------------------------
  function fitCanvas(c, h) {
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth;
    if (h !== undefined) c.style.height = h + "px";
    const hh = h !== undefined ? h : c.clientHeight;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(hh * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(hh * dpr);
    }
    const ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  let frameQueued = false;
  function redraw() {
    if (frameQueued) return;
    frameQueued = true;
    requestAnimationFrame(() => { frameQueued = false; drawAll(); });
  }
  const frameMs = { axis: 0, timeline: 0, states: 0, heap: 0 };
  function drawAll() {
    let t = performance.now(), u;
    drawAxis();
    u = performance.now(); frameMs.axis = u - t; t = u;
    drawTimeline();
    u = performance.now(); frameMs.timeline = u - t; t = u;
    drawStatePlot();
    u = performance.now(); frameMs.states = u - t; t = u;
    drawHeapPlot();
    frameMs.heap = performance.now() - t;
  }

  // ---- time axis -------------------------------------------------------------------------
  function niceStep(range, px, target) {
    const raw = (range * target) / Math.max(1, px);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
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
    forTicks((t, step) => {
      const x = Math.round(X(t)) + 0.5;
      ctx.moveTo(x, 17);
      ctx.lineTo(x, 26);
      ctx.fillStyle = COLORS.text;
      ctx.fillText(tickLabel(t, step), x + 3, 10);
    });
    ctx.stroke();
    for (const wv of D.waves) {
      const x = X(wv.t);
      if (x < LABEL_W || x > w) continue;
      ctx.fillStyle = COLORS.wave;
      ctx.beginPath();
      ctx.moveTo(x - 5, 16);
      ctx.lineTo(x + 5, 16);
      ctx.lineTo(x, 25);
      ctx.fill();
    }
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
  // Draws the visible bands of one row. Bands thinner than a pixel share it: of the first few
  // intervals in a pixel the most telling state wins, and the rest of the pixel is skipped with
  // a binary search, so a row costs O(pixels * log intervals) however many intervals it has.
  function drawRowBands(ctx, i, y, h) {
    const t0 = view.t0, t1 = view.t1, right = tlCanvas.clientWidth;
    const nsPerPx = (view.t1 - view.t0) / plotW();
    const end = ivo[i + 1];
    let k = firstVisibleInterval(i, t0);
    while (k < end) {
      const b = ivB[k];
      if (b > t1) break;
      let x0 = X(b), x1 = X(ivE[k]);
      if (x1 - x0 >= 1) {
        const color = codeColor[ivC[k]];
        if (color) {
          ctx.fillStyle = color;
          ctx.fillRect(Math.max(x0, LABEL_W), y, Math.min(x1, right) - Math.max(x0, LABEL_W), h);
        }
        k++;
        continue;
      }
      const px = Math.floor(x0);
      let best = -1, bestPri = -1;
      const pxEnd = T(px + 1);
      let j = k;
      for (let n = 0; j < end && ivB[j] < pxEnd && n < 8; j++, n++) {
        const pri = codeColor[ivC[j]] ? PRIORITY[codeState[ivC[j]]] : -1;
        if (pri > bestPri) { bestPri = pri; best = j; }
      }
      if (best >= 0 && px >= LABEL_W) {
        ctx.fillStyle = codeColor[ivC[best]];
        ctx.fillRect(px, y, 1, h);
      }
      // Skip what is left of this pixel.
      k = j < end && ivB[j] < pxEnd && nsPerPx > 0 ? Math.max(j, firstEndingAfter(j, end, pxEnd)) : j;
    }
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
    ctx.fillStyle = COLORS.group_bg;
    ctx.fillRect(0, y, w, ROW_H);
    ctx.fillStyle = "#dde2e8";
    ctx.fillRect(0, y + ROW_H - 1, w, 1);
    ctx.fillStyle = COLORS.text;
    ctx.font = "600 11px system-ui, sans-serif";
    const label = (g.collapsed ? "\u25b8 " : "\u25be ") + str(g.fn);
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
    if (ctx.measureText(s).width <= maxW) { ctx.fillText(s, x, y); return; }
    let lo = 0, hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ctx.measureText("\u2026" + s.slice(s.length - mid)).width <= maxW) lo = mid; else hi = mid - 1;
    }
    ctx.fillText("\u2026" + s.slice(s.length - lo), x, y);
  }
  function drawGoroutineRow(ctx, i, y, d) {
    const w = tlCanvas.clientWidth;
    if (selected.has(i)) { ctx.fillStyle = COLORS.select_row; ctx.fillRect(0, y, w, ROW_H); }
    else if (d === view.hoverRow) { ctx.fillStyle = COLORS.hover_row; ctx.fillRect(0, y, w, ROW_H); }
    ctx.fillStyle = selected.has(i) ? "#7a4b00" : COLORS.text;
    ctx.font = (selected.has(i) ? "600 " : "") + "11px system-ui, sans-serif";
    ctx.fillText("G" + G.id[i], 18, y + ROW_H / 2);
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
      ctx.strokeStyle = COLORS.wave;
      ctx.fillStyle = COLORS.wave;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([5, 3]);
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, h);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillText((wv.timer ? "deadline #" : "cancel #") + wv.id, x + 4, 8);
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

  // ---- plots -----------------------------------------------------------------------------
  function drawPlotFrame(ctx, c, h, maxLabel) {
    const w = c.clientWidth;
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = COLORS.grid;
    ctx.beginPath();
    forTicks((t) => { const x = Math.round(X(t)) + 0.5; ctx.moveTo(x, 0); ctx.lineTo(x, h); });
    ctx.stroke();
    ctx.fillStyle = COLORS.muted;
    ctx.font = "10px system-ui, sans-serif";
    ctx.textAlign = "right";
    ctx.textBaseline = "top";
    ctx.fillText(maxLabel, LABEL_W - 8, 2);
    ctx.textBaseline = "bottom";
    ctx.fillText("0", LABEL_W - 8, h - 1);
    ctx.textAlign = "left";
    ctx.strokeStyle = "#c5ccd5";
    ctx.beginPath();
    ctx.moveTo(LABEL_W - 0.5, 0);
    ctx.lineTo(LABEL_W - 0.5, h);
    ctx.stroke();
  }
  const SERIES = [["running", COLORS.running], ["syscall", COLORS.syscall], ["runnable", COLORS.runnable], ["waiting", COLORS.select]];
  let statesMax = 1;
  for (let b = 0; b < D.plot.running.length; b++) {
    let s = 0;
    for (const [k] of SERIES) s += D.plot[k][b];
    if (s > statesMax) statesMax = s;
  }
  function drawStatePlot() {
    const h = 64;
    const ctx = fitCanvas(plotStates, h);
    drawPlotFrame(ctx, plotStates, h, String(Math.ceil(statesMax)));
    const pw = plotW(), bw = D.plot.bw, nb = D.plot.running.length;
    const acc = new Float64Array(pw);
    for (const [key, color] of SERIES) {
      const s = D.plot[key];
      ctx.fillStyle = color;
      for (let px = 0; px < pw; px++) {
        const t = T(LABEL_W + px + 0.5);
        if (t < 0 || t > DUR) continue;
        const b = Math.min(nb - 1, Math.floor(t / bw));
        const v = s[b];
        if (v <= 0) continue;
        const y0 = h - (acc[px] / statesMax) * (h - 4);
        const y1 = h - ((acc[px] + v) / statesMax) * (h - 4);
        ctx.fillRect(LABEL_W + px, y1, 1, y0 - y1);
        acc[px] += v;
      }
    }
  }
  let heapMax = 1;
  for (let k = 1; k < D.heap.length; k += 2) heapMax = Math.max(heapMax, D.heap[k]);
  function drawHeapPlot() {
    const h = 48;
    const ctx = fitCanvas(plotHeap, h);
    drawPlotFrame(ctx, plotHeap, h, D.heap.length ? fmtBytes(heapMax) : "");
    if (D.heap.length === 0) {
      ctx.fillStyle = COLORS.muted;
      ctx.font = "11px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      ctx.fillText("no heap metric samples in this trace", LABEL_W + 8, h / 2);
      return;
    }
    ctx.strokeStyle = "#7b4fb0";
    ctx.fillStyle = "rgba(123, 79, 176, 0.15)";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false, lastY = h;
    const right = plotHeap.clientWidth;
    for (let k = 0; k + 1 < D.heap.length; k += 2) {
      const x = Math.min(right, Math.max(LABEL_W, X(D.heap[k])));
      const y = h - (D.heap[k + 1] / heapMax) * (h - 4);
      if (!started) { ctx.moveTo(x, y); started = true; } else { ctx.lineTo(x, lastY); ctx.lineTo(x, y); }
      lastY = y;
    }
    ctx.lineTo(Math.min(right, X(DUR)), lastY);
    ctx.stroke();
    ctx.lineWidth = 1;
  }

  // ---- zoom and pan ----------------------------------------------------------------------
  const MIN_RANGE = 100;  // ns
  function setRange(t0, t1) {
    let r = Math.max(MIN_RANGE, t1 - t0);
    const pad = DUR * 0.02;
    r = Math.min(r, DUR + 2 * pad);
    t0 = Math.max(-pad, Math.min(t0, DUR + pad - r));
    view.t0 = t0;
    view.t1 = t0 + r;
    redraw();
  }
  function zoomAt(factor, x) {
    const t = x >= LABEL_W ? T(x) : (view.t0 + view.t1) / 2;
    setRange(t - (t - view.t0) * factor, t + (view.t1 - t) * factor);
  }
  function pan(fraction) {
    const d = (view.t1 - view.t0) * fraction;
    setRange(view.t0 + d, view.t1 + d);
  }
  function onWheel(e) {
    e.preventDefault();
    const rect = tlCanvas.getBoundingClientRect();
    if (e.shiftKey) { scroller.scrollTop += e.deltaY; return; }
    if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) { pan(e.deltaX / plotW()); return; }
    const unit = e.deltaMode === 1 ? 16 : 1;
    zoomAt(Math.exp(e.deltaY * unit * 0.0025), e.clientX - rect.left);
  }
  for (const c of [scroller, axisCanvas, plotStates, plotHeap]) c.addEventListener("wheel", onWheel, { passive: false });

  let drag = null;
  scroller.addEventListener("mousedown", (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, t0: view.t0, t1: view.t1, top: scroller.scrollTop, moved: false };
    scroller.focus();
    e.preventDefault();
  });
  window.addEventListener("mousemove", (e) => {
    if (drag) {
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        const dt = (dx / plotW()) * (drag.t1 - drag.t0);
        setRange(drag.t0 - dt, drag.t1 - dt);
        scroller.scrollTop = drag.top - dy;
        hideTooltip();
        return;
      }
    }
    onHover(e);
  });
  window.addEventListener("mouseup", (e) => {
    if (!drag) return;
    const wasClick = !drag.moved;
    drag = null;
    if (wasClick) onClick(e);
  });
  scroller.addEventListener("scroll", () => redraw());
  scroller.addEventListener("mouseleave", () => { view.hoverRow = -1; view.mouseX = -1; hideTooltip(); redraw(); });
  window.addEventListener("resize", () => { sizeSpacer(); redraw(); });
  // The first draw can come before the page's layout settles (the scroller may still be 0
  // pixels high then): redraw whenever the scroller's size changes, the first layout included.
  if (typeof ResizeObserver === "function") new ResizeObserver(() => { sizeSpacer(); redraw(); }).observe(scroller);
  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
    const x = view.mouseX >= LABEL_W ? view.mouseX : -1;
    switch (e.key.toLowerCase()) {
      case "w": zoomAt(0.8, x); break;
      case "s": zoomAt(1.25, x); break;
      case "a": pan(-0.15); break;
      case "d": pan(0.15); break;
      case "0": setRange(0, DUR); break;
      case "/": e.preventDefault(); $("search").focus(); return;
      default: return;
    }
    e.preventDefault();
  });
  $("reset-zoom").addEventListener("click", () => setRange(0, DUR));
  $("show-edges").addEventListener("change", (e) => { showEdges = e.target.checked; redraw(); });

  function rowAt(e) {
    const rect = tlCanvas.getBoundingClientRect();
    const y = e.clientY - rect.top;
    const x = e.clientX - rect.left;
    if (y < 0 || y > rect.height || x < 0 || x > rect.width) return { d: -1, x };
    const d = Math.floor((y + scroller.scrollTop) / ROW_H);
    return { d: d >= 0 && d < display.length ? d : -1, x };
  }
  function onClick(e) {
    const { d, x } = rowAt(e);
    if (d < 0) return;
    const r = display[d];
    if (r < 0) {
      const g = groups[-r - 1];
      g.collapsed = !g.collapsed;
      rebuildDisplay();
      redraw();
      return;
    }
    selected = new Set([r]);
    showDetails(r, x >= LABEL_W ? T(x) : -1);
    redraw();
  }

  // ---- hover tooltip ---------------------------------------------------------------------
  function hideTooltip() { tooltip.classList.add("hidden"); }
  function intervalAt(i, t) {
    const k = firstVisibleInterval(i, t);
    return k < ivo[i + 1] && ivB[k] <= t ? k : -1;
  }
  function onHover(e) {
    const { d, x } = rowAt(e);
    const prevRow = view.hoverRow, prevX = view.mouseX;
    view.hoverRow = d;
    view.mouseX = d >= 0 ? x : -1;
    if (prevRow !== d || prevX !== view.mouseX) redraw();
    if (d < 0) { hideTooltip(); return; }
    const r = display[d];
    tooltip.replaceChildren();
    if (r < 0) {
      const g = groups[-r - 1];
      tooltip.append(el("div", "tt-title", str(g.fn)));
      tooltip.append(el("div", "", g.rows.length + " goroutines \u00b7 click to " + (g.collapsed ? "expand" : "fold")));
    } else {
      fillGoroutineSummary(tooltip, r, x >= LABEL_W ? T(x) : -1, 6);
    }
    tooltip.classList.remove("hidden");
    const tw = tooltip.offsetWidth, th = tooltip.offsetHeight;
    let left = e.clientX + 14, top = e.clientY + 14;
    if (left + tw > window.innerWidth - 8) left = e.clientX - tw - 14;
    if (top + th > window.innerHeight - 8) top = Math.max(8, e.clientY - th - 14);
    tooltip.style.left = left + "px";
    tooltip.style.top = top + "px";
  }
  function appendStack(parent, title, si, max) {
    const frames = stackFrames(si);
    if (frames.length === 0) return;
    parent.append(el("div", "tt-sub", title));
    const ul = el("ul", "stack");
    frames.slice(0, max).forEach((f) => {
      const li = el("li");
      li.append(el("span", "fn", f.fn));
      li.append(el("span", "loc", " " + shortFile(f.file) + ":" + f.line));
      li.title = f.file + ":" + f.line;
      ul.append(li);
    });
    if (frames.length > max) ul.append(el("li", "muted", "\u2026 " + (frames.length - max) + " more frames"));
    parent.append(ul);
  }
  function gLabel(id) {
    const r = rowOfId.get(id);
    return r === undefined ? "G" + id : "G" + id + " " + fnName(r);
  }
  function fillGoroutineSummary(box, i, t, maxFrames) {
    box.append(el("div", "tt-title", "G" + G.id[i] + "  " + fnName(i)));
    const kv = el("div", "kv");
    const add = (k, v) => { kv.append(el("span", "k", k)); kv.append(el("span", "v", v)); };
    add("kind", KIND_NAMES[G.kind[i]] || "?");
    add("created", G.ct[i] >= 0 ? "+" + fmtDur(G.ct[i]) + (G.cr[i] >= 0 ? " by " + gLabel(G.cr[i]) : "") : "before the trace");
    add("ended", G.et[i] >= 0 ? "+" + fmtDur(G.et[i]) : "alive at trace end (" + stateLabel(G.st[i], str(G.rs[i])) + ")");
    let k = -1;
    if (t >= 0) {
      k = intervalAt(i, t);
      if (k >= 0) add("at +" + fmtDur(t), codeLabel[ivC[k]] + " for " + fmtDur(ivE[k] - ivB[k]));
      if (k >= 0 && ivW[k] >= 0) add("woken by", gLabel(ivW[k]) + " at +" + fmtDur(ivE[k]));
    }
    if (G.mg && G.mg[i]) add("detail", "reduced: its intervals shorter than " + fmtDur(D.detail.q) + " are merged into bands of their most telling state");
    const wb = wokenBy.get(G.id[i]);
    if (wb) add("cancel", "woken by cancel #" + wb[0] + " at +" + fmtDur(wb[1]));
    else if (G.ww[i] >= 0) add("last woken by", gLabel(G.ww[i]));
    box.append(kv);
    if (k >= 0 && ivS[k] > 0) appendStack(box, codeState[ivC[k]] === ST_WAITING ? "Blocking stack" : "Stack", ivS[k], maxFrames);
    else if (G.bs[i] > 0) appendStack(box, "Blocking stack at trace end", G.bs[i], maxFrames);
    appendStack(box, "Creation stack", G.cs[i], maxFrames);
    const logs = logsOf.get(G.id[i]);
    if (logs) {
      box.append(el("div", "tt-sub", "Log messages"));
      const ul = el("ul", "stack");
      logs.slice(0, 5).forEach((o) => ul.append(el("li", "", "+" + fmtDur(D.logs[o]) + " [" + str(D.logs[o + 2]) + "] " + str(D.logs[o + 3]))));
      box.append(ul);
    }
  }

  // ---- selection -------------------------------------------------------------------------
  function revealRows(rows, zoom, at) {
    let changed = false;
    for (const r of rows) {
      const g = groups[groupOfRow[r]];
      if (g.collapsed) { g.collapsed = false; changed = true; }
    }
    if (changed) rebuildDisplay();
    if (zoom && rows.length) {
      let lo = Infinity, hi = -Infinity;
      for (const r of rows) { lo = Math.min(lo, lifeBegin(r)); hi = Math.max(hi, lifeEnd(r)); }
      if (at !== undefined && at >= 0) { lo = Math.min(lo, at); hi = Math.max(hi, at); }
      const pad = Math.max((hi - lo) * 0.08, 1000);
      setRange(lo - pad, hi + pad);
    }
    const ds = rows.map((r) => displayIndexOf[r]).filter((d) => d >= 0).sort((a, b) => a - b);
    if (ds.length) {
      const top = ds[0] * ROW_H, bottom = (ds[ds.length - 1] + 1) * ROW_H;
      const h = scroller.clientHeight;
      if (top < scroller.scrollTop || bottom > scroller.scrollTop + h) {
        scroller.scrollTop = Math.max(0, bottom - top < h ? top - (h - (bottom - top)) / 2 : top - ROW_H);
      }
    }
    redraw();
  }
  function selectRows(rows, zoom, at) {
    selected = new Set(rows);
    revealRows(rows, zoom, at);
    document.body.dataset.selected = rows.map((r) => G.id[r]).join(",");
  }

  // ---- header ----------------------------------------------------------------------------
  {
    const alive = G.et.filter((e) => e < 0).length;
    const parts = [N + " goroutines", fmtDur(DUR) + " traced", alive + " alive at end", D.waves.length + " cancel waves", D.fd.length + " findings"];
    $("summary").textContent = parts.join(" \u00b7 ");
    const legend = $("legend");
    for (const [label, color] of [["running", COLORS.running], ["runnable", COLORS.runnable], ["syscall", COLORS.syscall],
      ["waiting: select", COLORS.select], ["waiting: chan", COLORS.chan], ["waiting: sync", COLORS.sync], ["waiting: sleep", COLORS.sleep],
      ["waiting: other", COLORS.other]]) {
      const item = el("span", "lg");
      const sw = el("i");
      sw.style.background = color;
      item.append(sw, document.createTextNode(label));
      legend.append(item);
    }
    const wave = el("span", "lg");
    const sw = el("i", "wave");
    wave.append(sw, document.createTextNode("cancel wave"));
    legend.append(wave);
  }

  // ---- reduced detail: the report kept its intervals within a budget (docs/report.md) -----
  if (D.detail) {
    const note = el("div", "detail-note");
    note.id = "detail-note";
    note.textContent = "Detail reduced to stay within " + D.detail.max.toLocaleString("en") + " intervals: of " +
      D.detail.recorded.toLocaleString("en") + " state intervals, those shorter than " + fmtDur(D.detail.q) +
      " are merged into bands showing their most telling state (running > syscall > runnable > waiting), " +
      D.detail.kept.toLocaleString("en") + " kept. The " + D.detail.exact.toLocaleString("en") +
      " goroutines of findings, cancel waves and critical paths keep every interval.";
    $("legend").before(note);
  }

  // ---- tabs ------------------------------------------------------------------------------
  function showTab(name) {
    for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === name);
    for (const t of document.querySelectorAll(".tab")) t.classList.toggle("hidden", t.id !== "tab-" + name);
    if (name === "dag") drawDag();
    if (name === "ctx") buildContexts();
  }
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));

  // ---- findings --------------------------------------------------------------------------
  {
    const box = $("tab-findings");
    $("findings-count").textContent = String(D.fd.length);
    if (D.fd.length === 0) box.append(el("div", "empty", "No findings: ctxtrail found no broken cancellation chain and no leaked goroutine in this trace."));
    D.fd.forEach((f, fi) => {
      const card = el("div", "finding sev-" + f.sev);
      card.dataset.index = String(fi);
      card.tabIndex = 0;
      const head = el("div", "f-head");
      head.append(el("span", "sev", f.sev), el("span", "rule", f.rule));
      if (f.n > 1) head.append(el("span", "count", "\u00d7" + f.n));
      head.append(el("span", "f-time", "+" + fmtDur(f.t)));
      card.append(head, el("div", "f-msg", f.msg));
      if (f.locs.length) {
        const ul = el("ul", "locs");
        for (const [role, fn, file, line] of f.locs) {
          const li = el("li");
          li.append(el("span", "role", role), el("span", "fn", fn));
          if (file) li.append(el("span", "loc", " " + shortFile(file) + ":" + line));
          li.title = file ? file + ":" + line : fn;
          ul.append(li);
        }
        card.append(ul);
      }
      const gs = f.gs.slice(0, 12).map((id) => "G" + id).join(", ") + (f.gs.length > 12 ? ", \u2026" : "");
      card.append(el("div", "f-gs", gs));
      const activate = () => {
        for (const c of box.querySelectorAll(".finding.active")) c.classList.remove("active");
        card.classList.add("active");
        const rows = f.gs.map((id) => rowOfId.get(id)).filter((r) => r !== undefined);
        view.mark = f.t;
        selectRows(rows, true, f.t);
        if (rows.length) showDetails(rows[0], f.t, false);
      };
      card.addEventListener("click", activate);
      card.addEventListener("keydown", (e) => { if (e.key === "Enter") activate(); });
      box.append(card);
    });
  }

  // ---- details ---------------------------------------------------------------------------
  function showDetails(i, t, switchTab) {
    const box = $("tab-details");
    box.replaceChildren();
    fillGoroutineSummary(box, i, t, 40);
    const n = ivo[i + 1] - ivo[i];
    box.append(el("div", "muted small", n + " state intervals"));
    const zoom = el("button", "", "Zoom to its lifetime");
    zoom.addEventListener("click", () => selectRows([i], true));
    box.append(zoom);
    if (switchTab !== false) showTab("details");
  }

  // ---- logs ------------------------------------------------------------------------------
  {
    const box = $("tab-logs");
    const n = D.logs.length / 4;
    if (n === 0) box.append(el("div", "empty", "This trace has no log messages (runtime/trace.Log)."));
    else {
      const table = el("table", "logs");
      const head = el("tr");
      for (const h of ["time", "goroutine", "category", "message"]) head.append(el("th", "", h));
      table.append(head);
      for (let k = 0; k < Math.min(n, 2000); k++) {
        const o = k * 4;
        const tr = el("tr");
        tr.append(el("td", "mono", "+" + fmtDur(D.logs[o])), el("td", "mono", "G" + D.logs[o + 1]), el("td", "", str(D.logs[o + 2])), el("td", "msg", str(D.logs[o + 3])));
        tr.addEventListener("click", () => {
          const r = rowOfId.get(D.logs[o + 1]);
          if (r !== undefined) { selectRows([r], false); showDetails(r, D.logs[o], false); }
        });
        table.append(tr);
      }
      box.append(table);
      if (n > 2000 || D.logsDropped) box.append(el("div", "muted small", "Showing the first 2000 of " + (n + D.logsDropped) + " messages."));
    }
  }

  // ---- contexts: the trail context tree (docs/report.md, `ctx`) ---------------------------
  // Built when the tab is first shown, and rows only when their parent is unfolded, at most
  // CTX_PAGE at a time: a tree of 20,000 contexts costs the first paint nothing. Watchers are
  // buttons that select their goroutine in the timeline.
  const CTX_PAGE = 200;
  let ctxBuilt = false;
  function buildContexts() {
    if (ctxBuilt) return;
    ctxBuilt = true;
    const box = $("tab-ctx");
    const C = D.ctx;
    if (!C) {
      box.append(el("div", "empty", "No context tree: this trace has no ctxtrail context events. Programs that create their contexts with github.com/ctxtrail/ctxtrail/go/trail record where each context was created and cancelled; this tab shows that tree."));
    } else {
      const cs = C.c;
      const nDone = cs.filter((c) => c.done).length;
      const head = el("div", "ctx-summary");
      head.textContent = cs.length + " contexts (" + nDone + " done), " + C.events + " ctxtrail events" +
        (C.prop[0] ? " \u00b7 propagation over " + C.prop[0] + " edges: p50 " + fmtDur(C.prop[1]) + ", p99 " + fmtDur(C.prop[2]) + ", max " + fmtDur(C.prop[3]) : "") +
        " \u00b7 slow above " + fmtDur(C.slow);
      box.append(head);
      if (C.dropped) box.append(el("div", "muted small", "Showing the first " + cs.length + " contexts; " + C.dropped + " more are in `ctxtrail contexts`."));
      const siteText = (st) => (str(st[0]) ? str(st[0]) + " " + shortFile(str(st[1])) + ":" + st[2] : "?");
      const goButton = (g, t) => {
        const b = el("button", "ctx-g", "G" + g);
        b.dataset.g = String(g);
        b.addEventListener("click", (e) => {
          e.stopPropagation();
          const r = rowOfId.get(g);
          if (r !== undefined) { view.mark = t; selectRows([r], true, t); showDetails(r, t, false); }
        });
        return b;
      };
      const line = (label, ...parts) => {
        const d = el("div", "ctx-line");
        d.append(el("span", "ctx-label", label));
        for (const p of parts) d.append(typeof p === "string" ? document.createTextNode(p) : p);
        return d;
      };
      const usesLine = (label, list, total, withErr) => {
        const d = line(label);
        for (let k = 0; k + 3 < list.length; k += 4) {
          d.append(goButton(list[k], list[k + 1]));
          const extra = "+" + fmtDur(list[k + 1]) + (withErr && str(list[k + 3]) ? " " + str(list[k + 3]) : "") +
            (list[k + 2] < 0 ? ", alive at end" : ", ended +" + fmtDur(list[k + 2]));
          d.append(el("span", "muted", " " + extra + " "));
        }
        if (total > list.length / 4) d.append(el("span", "muted", "and " + (total - list.length / 4) + " more"));
        return d;
      };
      function body(c) {
        const b = el("div", "ctx-body");
        if (c.known) b.append(line("created", "+" + fmtDur(c.at) + (c.by >= 0 ? " by " : ""), c.by >= 0 ? goButton(c.by, c.at) : "", " at " + siteText(c.site)));
        else b.append(line("created", "before the trace (its new event is missing)"));
        if (c.dlu) b.append(line("deadline", c.dl >= 0 ? "+" + fmtDur(c.dl) : new Date(c.dlu).toISOString()));
        if (str(c.fl)) b.append(line("flags", str(c.fl)));
        if (c.amb) b.append(line("detached", "inside #" + c.amb));
        const d = c.done;
        if (d) {
          const r = str(d.r);
          const how = r === "own" ? "cancel at " + siteText(d.site) : r === "parent" ? "by its parent #" + d.from : r;
          b.append(line("cancelled", "+" + fmtDur(d.t) + " (" + how + ")" + (d.g >= 0 ? " in " : ""), d.g >= 0 ? goButton(d.g, d.t) : "",
            ", err " + str(d.err) + (str(d.cause) ? ", cause \u201c" + str(d.cause) + "\u201d" : "") + (d.raced ? ", raced with its deadline" : "") +
            (d.wave ? ", cancel wave #" + d.wave : "")));
        } else {
          b.append(line("cancelled", "not done"));
        }
        if (c.nu[0]) b.append(usesLine("watchers", c.w, c.nu[0], false));
        if (c.nu[1]) b.append(usesLine("saw Err", c.es, c.nu[1], true));
        if (c.nu[2]) b.append(usesLine("late cancel", c.late, c.nu[2], true));
        return b;
      }
      function node(ci, depth) {
        const c = cs[ci];
        const li = el("li", "ctx-node");
        li.dataset.ctx = String(c.id);
        const row = el("div", "ctx-row");
        const toggle = el("span", "ctx-toggle", c.ch.length ? "\u25b8" : "\u00b7");
        row.append(toggle, el("span", "ctx-id", "#" + c.id), el("span", "ctx-kind", c.known ? str(c.k) : "unknown"));
        if (c.dlu) row.append(el("span", "ctx-dl", "deadline"));
        if (c.done) row.append(el("span", "ctx-done", "done +" + fmtDur(c.done.t)));
        if (c.done && c.done.lat >= 0) {
          const slow = c.done.lat > C.slow;
          const lat = el("span", "ctx-lat " + (slow ? "slow" : "healthy"), "+" + fmtDur(c.done.lat) + " after parent");
          lat.title = "propagation latency of the edge #" + c.p + " \u2192 #" + c.id + (slow ? ": slow (above " : ": healthy (at most ") + fmtDur(C.slow) + ")";
          row.append(lat);
        }
        if (c.nu[0]) row.append(el("span", "muted", c.nu[0] + " watcher" + (c.nu[0] === 1 ? "" : "s")));
        li.append(row, body(c));
        const kids = el("ul", "ctx-tree");
        li.append(kids);
        let open = false;
        const setOpen = (v) => {
          open = v;
          toggle.textContent = c.ch.length ? (open ? "\u25be" : "\u25b8") : "\u00b7";
          if (open && !kids.childElementCount) appendNodes(kids, c.ch, depth + 1);
          kids.classList.toggle("hidden", !open);
          li.classList.toggle("open", open);
        };
        row.addEventListener("click", () => setOpen(!open));
        setOpen(depth < 2 && c.ch.length <= 50);
        return li;
      }
      // Appends the contexts of `list` from `from` on, CTX_PAGE of them, then a "more" row.
      function appendNodes(ul, list, depth, from = 0) {
        const to = Math.min(list.length, from + CTX_PAGE);
        for (let k = from; k < to; k++) ul.append(node(list[k], depth));
        if (to < list.length) {
          const more = el("li", "ctx-more");
          const b = el("button", "", "Show " + Math.min(CTX_PAGE, list.length - to) + " more of " + (list.length - to));
          b.addEventListener("click", () => { more.remove(); appendNodes(ul, list, depth, to); });
          more.append(b);
          ul.append(more);
        }
      }
      const tree = el("ul", "ctx-tree ctx-root");
      const roots = [];
      cs.forEach((c, i) => { if (c.pi < 0) roots.push(i); });
      appendNodes(tree, roots, 0);
      box.append(tree);
    }
  }

  // ---- termination DAG -------------------------------------------------------------------
  let dagDrawn = false;
  function drawDag() {
    if (dagDrawn) return;
    dagDrawn = true;
    const view = $("dag-view"), note = $("dag-note");
    const dag = D.dag;
    const nNodes = dag.n.length / 4, nEdges = dag.e.length / 4;
    if (nNodes === 0) { view.append(el("div", "empty", "No goroutine ended and no context was cancelled: the DAG is empty.")); return; }
    const critEdges = new Set(dag.crit >= 0 ? dag.cp[dag.crit] : []);
    const critNodes = new Set();
    for (const e of critEdges) { critNodes.add(dag.e[4 * e + 1]); critNodes.add(dag.e[4 * e + 2]); }
    // Which nodes to show: all when few; else the critical wave's tree and a sample.
    const MAX = 160;
    let shown = [];
    if (nNodes <= MAX) shown = Array.from({ length: nNodes }, (_, k) => k);
    else {
      const keep = new Set(critNodes);
      for (let k = 0; k < nNodes && keep.size < MAX; k++) if (dag.n[4 * k] === 1) keep.add(k);
      for (let e = 0; e < nEdges && keep.size < MAX; e++) if (keep.has(dag.e[4 * e + 1])) keep.add(dag.e[4 * e + 2]);
      shown = Array.from(keep).sort((a, b) => dag.n[4 * a + 1] - dag.n[4 * b + 1]);
      note.textContent = "Showing " + shown.length + " of " + nNodes + " nodes: the critical path, the cancel calls and what they decided.";
    }
    shown.sort((a, b) => dag.n[4 * a + 1] - dag.n[4 * b + 1] || a - b);
    const pos = new Map();
    const W = 420, rowH = 22, left = 8, labelW = 170;
    let tmin = Infinity, tmax = -Infinity;
    for (const k of shown) { tmin = Math.min(tmin, dag.n[4 * k + 1]); tmax = Math.max(tmax, dag.n[4 * k + 1]); }
    const span = Math.max(1, tmax - tmin);
    const xOf = (t) => left + labelW + ((t - tmin) / span) * (W - labelW - 24);
    shown.forEach((k, r) => pos.set(k, { x: xOf(dag.n[4 * k + 1]), y: 14 + r * rowH }));
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    const H = 24 + shown.length * rowH;
    svg.setAttribute("width", String(W));
    svg.setAttribute("height", String(H));
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    const mk = (tag, attrs) => { const e = document.createElementNS(NS, tag); for (const k in attrs) e.setAttribute(k, String(attrs[k])); return e; };
    const defs = mk("defs", {});
    for (const [id, color] of [["ah", "#8a96a3"], ["ahc", "#d62728"]]) {
      const m = mk("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" });
      m.append(mk("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: color }));
      defs.append(m);
    }
    svg.append(defs);
    for (let e = 0; e < nEdges; e++) {
      const from = pos.get(dag.e[4 * e + 1]), to = pos.get(dag.e[4 * e + 2]);
      if (!from || !to) continue;
      const crit = critEdges.has(e);
      const midX = Math.max(from.x, to.x) + 10;
      const path = mk("path", {
        d: "M " + from.x + " " + from.y + " C " + midX + " " + from.y + ", " + midX + " " + to.y + ", " + to.x + " " + to.y,
        fill: "none", stroke: crit ? "#d62728" : "#a9b3bf", "stroke-width": crit ? 2.5 : 1,
        "marker-end": crit ? "url(#ahc)" : "url(#ah)",
      });
      if (dag.e[4 * e] === 0) path.setAttribute("stroke-dasharray", "3 2");
      const t = mk("title", {});
      t.textContent = ["spawn", "wake", "cancel"][dag.e[4 * e]] + " at +" + fmtDur(dag.e[4 * e + 3]);
      path.append(t);
      svg.append(path);
    }
    for (const k of shown) {
      const p = pos.get(k);
      const kind = dag.n[4 * k], g = dag.n[4 * k + 2], wave = dag.n[4 * k + 3];
      const crit = critNodes.has(k);
      const grp = mk("g", { class: "dag-node" + (crit ? " crit" : "") });
      grp.append(mk(kind === 1 ? "rect" : "circle", kind === 1
        ? { x: p.x - 5, y: p.y - 5, width: 10, height: 10, fill: crit ? "#d62728" : "#f0a23b", transform: "rotate(45 " + p.x + " " + p.y + ")" }
        : { cx: p.x, cy: p.y, r: 4.5, fill: crit ? "#d62728" : "#5a6b7d" }));
      const label = mk("text", { x: left, y: p.y + 4, class: "dag-label" + (crit ? " crit" : "") });
      label.textContent = kind === 1 ? "cancel #" + wave + (g >= 0 ? " by G" + g : " (timer)") : "end G" + g + " " + (rowOfId.has(g) ? fnName(rowOfId.get(g)) : "");
      const title = mk("title", {});
      title.textContent = label.textContent + " at +" + fmtDur(dag.n[4 * k + 1]);
      grp.append(label, title);
      grp.addEventListener("click", () => {
        const r = rowOfId.get(g);
        if (r !== undefined) { selectRows([r], false); showDetails(r, dag.n[4 * k + 1], false); }
      });
      svg.append(grp);
    }
    view.append(svg);
    if (dag.crit >= 0) {
      const steps = dag.cp[dag.crit];
      const last = dag.e[4 * steps[steps.length - 1] + 2];
      const head = el("div", "crit-summary");
      head.textContent = "Critical path: cancel #" + (dag.crit + 1) + " \u2192 " + steps.length + " step" + (steps.length === 1 ? "" : "s") +
        " \u2192 last end at +" + fmtDur(dag.n[4 * last + 1]) + " (G" + dag.n[4 * last + 2] + ")";
      view.prepend(head);
    }
    if (!dag.acyclic) view.prepend(el("div", "warn", "The DAG has a cycle: the trace's order is inconsistent."));
  }

  // ---- search ----------------------------------------------------------------------------
  {
    const input = $("search"), status = $("search-status");
    let timer = 0, lastQuery = null;
    const run = () => {
      const q = input.value.trim();
      lastQuery = input.value;
      searchHits = [];
      searchPos = -1;
      if (q) {
        const m = /^g?(\d+)$/i.exec(q);
        if (m && rowOfId.has(Number(m[1]))) searchHits.push(rowOfId.get(Number(m[1])));
        const lq = q.toLowerCase();
        for (const g of groups) {
          const name = str(g.fn).toLowerCase();
          if (name.includes(lq)) for (const r of g.rows) if (searchHits.length < 5000) searchHits.push(r);
        }
      }
      status.textContent = q ? (searchHits.length ? searchHits.length + " found \u00b7 Enter: next" : "not found") : "";
    };
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { input.value = ""; run(); input.blur(); return; }
      if (e.key !== "Enter") return;
      clearTimeout(timer);
      if (searchPos < 0 || input.value !== lastQuery) run();
      if (!searchHits.length) return;
      searchPos = (searchPos + 1) % searchHits.length;
      const r = searchHits[searchPos];
      selectRows([r], false);
      showDetails(r, -1);
      status.textContent = (searchPos + 1) + " of " + searchHits.length;
    });
  }

  // ---- start -----------------------------------------------------------------------------
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
})();
