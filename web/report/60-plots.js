// Plots under the timeline, on its time axis: goroutines by state (time-weighted average per
// bin) and the heap.
function drawPlotFrame(ctx, c, h, maxLabel) {
  const w = c.clientWidth;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = COLORS.grid;
  ctx.beginPath();
  forTicks((t) => { const x = Math.round(X(t)) + 0.5; ctx.moveTo(x, 0); ctx.lineTo(x, h); });
  ctx.stroke();
  // Lanes have no scale: their maxLabel is null.
  if (maxLabel !== null) {
    ctx.fillStyle = COLORS.muted;
    ctx.font = "10px system-ui, sans-serif";
    ctx.textAlign = "right";
    ctx.textBaseline = "top";
    ctx.fillText(maxLabel, LABEL_W - 8, 2);
    ctx.textBaseline = "bottom";
    ctx.fillText("0", LABEL_W - 8, h - 1);
    ctx.textAlign = "left";
  }
  ctx.strokeStyle = "#c5ccd5";
  ctx.beginPath();
  ctx.moveTo(LABEL_W - 0.5, 0);
  ctx.lineTo(LABEL_W - 0.5, h);
  ctx.stroke();
}
const SERIES = [["running", COLORS.running], ["syscall", COLORS.syscall], ["runnable", COLORS.runnable], ["waiting", COLORS.select]];
for (const [name, color] of SERIES) {
  const item = el("span", "lg");
  const sw = el("i");
  sw.style.background = color;
  item.append(sw, document.createTextNode(name));
  $("states-legend").append(item);
}
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
