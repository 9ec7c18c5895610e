// Lanes under the timeline, on its time axis: what ran on each P with the GC and
// stop-the-world phases above them, and the runtime/trace tasks and regions. Spans come from
// the data's `lanes` (docs/report.md): a span a pixel wide or more is drawn exact, thinner
// ones share their pixel (the first wins it), as the goroutine rows do.
const LN = D.lanes || { pr: [], ph: [], rg: [], tk: [], prq: 0, phq: 0, rgq: 0, tkDropped: 0, rgDropped: 0 };
const procsCanvas = $("plot-procs"), tasksCanvas = $("plot-tasks");
Object.assign(COLORS, { gc: "#c77c02", stw: "#6a2c91", several: "#9aa3ad", task: "#3f7fbf" });
// A goroutine's colour on the P lanes: spread over the hues by ID, so neighbours differ.
function goColor(id) { return "hsl(" + ((id * 137.508) % 360).toFixed(1) + ", 55%, 52%)"; }
// A region's colour, by its name: the same region type has the same colour everywhere.
function nameColor(si) { return "hsl(" + ((si * 97.3 + 20) % 360).toFixed(1) + ", 45%, 62%)"; }

// Spans per lane as [begin, end, what] flat arrays, in time order (the data's order).
function laneTable(flat, stride, laneOf, b, d, w) {
  const lanes = new Map();
  for (let k = 0; k + stride - 1 < flat.length; k += stride) {
    const key = laneOf(k);
    if (!lanes.has(key)) lanes.set(key, []);
    lanes.get(key).push(flat[k + b], flat[k + b] + flat[k + d], flat[k + w]);
  }
  return lanes;
}
const procLanes = laneTable(LN.pr, 4, (k) => LN.pr[k], 1, 2, 3);
const procIds = Array.from(procLanes.keys()).sort((a, b) => a - b);
const phaseLanes = laneTable(LN.ph, 4, (k) => LN.ph[k], 1, 2, 3);
const regionLanes = laneTable(LN.rg, 5, (k) => LN.rg[k] + "/" + LN.rg[k + 1], 2, 3, 4);
const regionGs = Array.from(new Set(Array.from(regionLanes.keys(), (k) => +k.split("/")[0]))).sort((a, b) => a - b);
const regionDepth = new Map();
for (const k of regionLanes.keys()) {
  const [g, d] = k.split("/").map(Number);
  regionDepth.set(g, Math.max(regionDepth.get(g) || 0, d + 1));
}
// Tasks packed into rows: each in the first row whose last task ended before it began.
const TASK_ROWS_MAX = 8;
const taskRows = [];
{
  const order = [];
  for (let k = 0; k + 5 < LN.tk.length; k += 6) order.push(k);
  const begin = (k) => Math.max(0, LN.tk[k + 3]), end = (k) => (LN.tk[k + 4] < 0 ? DUR : LN.tk[k + 4]);
  order.sort((a, b) => begin(a) - begin(b));
  const rowEnd = [];
  for (const k of order) {
    let r = rowEnd.findIndex((e) => e <= begin(k));
    if (r < 0) { r = Math.min(rowEnd.length, TASK_ROWS_MAX - 1); if (r === rowEnd.length) { rowEnd.push(0); taskRows.push([]); } }
    rowEnd[r] = Math.max(rowEnd[r], end(k));
    taskRows[r].push(begin(k), end(k), k);
  }
  for (const row of taskRows) {
    // Rows stay in time order for drawing (the overflow row may take tasks out of order).
    const idx = [];
    for (let j = 0; j < row.length; j += 3) idx.push(j);
    idx.sort((a, b) => row[a] - row[b]);
    const sorted = [];
    for (const j of idx) sorted.push(row[j], row[j + 1], row[j + 2]);
    row.splice(0, row.length, ...sorted);
  }
}
const REGION_GS_MAX = 24;

// Layout: one entry per lane, [key, label, y, height], as last laid out (tests read it).
const PHASE_H = 10, TASK_H = 13, REGION_H = 9;
const procLaneH = Math.max(4, Math.min(14, Math.floor(150 / Math.max(1, procIds.length))));
let procsLayout = [], tasksLayout = [];
function layoutProcs() {
  procsLayout = [["gc", "GC", 20, PHASE_H], ["stw", "STW", 20 + PHASE_H + 1, PHASE_H]];
  let y = 20 + 2 * PHASE_H + 4;
  for (const p of procIds) { procsLayout.push(["p" + p, "P" + p, y, procLaneH]); y += procLaneH + (procLaneH >= 8 ? 1 : 0); }
  return Math.max(y + 2, 84);
}
function layoutTasks() {
  tasksLayout = [];
  let y = 20;
  taskRows.forEach((_, r) => { tasksLayout.push(["t" + r, r === 0 ? "tasks" : "", y, TASK_H]); y += TASK_H + 1; });
  if (taskRows.length) y += 4;
  for (const g of regionGs.slice(0, REGION_GS_MAX)) {
    for (let d = 0; d < regionDepth.get(g); d++) { tasksLayout.push(["r" + g + "/" + d, d === 0 ? "G" + g : "", y, REGION_H]); y += REGION_H; }
    y += 2;
  }
  return Math.max(y + 2, 64);
}
const hasProcs = procIds.length > 0 || LN.ph.length > 0;
const hasTasks = taskRows.length > 0 || regionGs.length > 0;
$("procs-wrap").classList.toggle("hidden", !hasProcs);
$("tasks-wrap").classList.toggle("hidden", !hasTasks);
{
  const legend = (id, items) => {
    for (const [name, color] of items) {
      const item = el("span", "lg");
      const sw = el("i");
      sw.style.background = color;
      item.append(sw, document.createTextNode(name));
      $(id).append(item);
    }
  };
  legend("procs-legend", [["goroutine (hue by ID)", goColor(7)], ["GC mark", COLORS.gc], ["stop-the-world", COLORS.stw],
    ["runs merged" + (LN.prq ? " (< " + fmtDur(LN.prq) + ")" : ""), COLORS.several]]);
  legend("tasks-legend", [["task", COLORS.task], ["region (hue by name)", nameColor(3)],
    ["regions merged" + (LN.rgq ? " (< " + fmtDur(LN.rgq) + ")" : ""), COLORS.several]]);
  if (LN.tkDropped) $("tasks-legend").append(el("span", "lg", LN.tkDropped + " tasks past the first " + (LN.tk.length / 6) + " not shown"));
  if (regionGs.length > REGION_GS_MAX) $("tasks-legend").append(el("span", "lg", "regions of " + (regionGs.length - REGION_GS_MAX) + " more goroutines not shown"));
}

// Draws one lane's spans; `style(what)` gives a span's colour and its words ([color, text]).
function drawSpans(ctx, spans, y, h, style) {
  if (!spans) return;
  const right = ctx.canvas.clientWidth;
  let painted = LABEL_W;
  for (let k = 0; k + 2 < spans.length; k += 3) {
    const b = spans[k], e = spans[k + 1];
    if (e < view.t0) continue;
    if (b > view.t1) break;
    const x0 = Math.max(X(b), painted), x1 = Math.min(X(e), right);
    if (x1 < painted) continue;
    const [color, text] = style(spans[k + 2]);
    ctx.fillStyle = color;
    if (x1 - x0 >= 1) {
      ctx.fillRect(x0, y, x1 - x0, h);
      if (text && x1 - x0 >= 40 && h >= 9) labelSpan(ctx, text, x0, x1, y, h);
      painted = x1;
    } else {
      // Thinner than a pixel: the first span in the pixel wins it.
      const px = Math.floor(x0);
      if (px >= painted - 1 && px < right) ctx.fillRect(px, y, 1, h);
      painted = px + 1;
    }
  }
}
function labelSpan(ctx, text, x0, x1, y, h) {
  ctx.save();
  ctx.font = "9px system-ui, sans-serif";
  ctx.fillStyle = "#fff";
  ctx.textBaseline = "middle";
  ctx.beginPath();
  ctx.rect(x0, y, x1 - x0, h);
  ctx.clip();
  ctx.fillText(text, x0 + 3, y + h / 2 + 0.5);
  ctx.restore();
}
function drawLaneLabels(ctx, layout) {
  ctx.fillStyle = COLORS.muted;
  ctx.font = "9px system-ui, sans-serif";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const [, label, y, h] of layout) if (label && h >= 8) ctx.fillText(label, LABEL_W - 8, y + h / 2);
  ctx.textAlign = "left";
}
const several = [COLORS.several, ""];
// Lays out canvas c's lanes with `layout` (which returns the height), draws its frame and lane
// labels, then each lane with drawLane(ctx, key, y, height).
function drawLaneCanvas(c, shown, layout, lanes, drawLane) {
  if (!shown) return;
  const h = layout();
  const ctx = fitCanvas(c, h);
  drawPlotFrame(ctx, c, h, null);
  drawLaneLabels(ctx, lanes());
  for (const [key, , y, lh] of lanes()) drawLane(ctx, key, y, lh);
}
function drawProcLanes() {
  drawLaneCanvas(procsCanvas, hasProcs, layoutProcs, () => procsLayout, (ctx, key, y, lh) => {
    if (key === "gc" || key === "stw") {
      const color = key === "gc" ? COLORS.gc : COLORS.stw;
      drawSpans(ctx, phaseLanes.get(key === "gc" ? 0 : 1), y, lh, (w) => (w < 0 ? several : [color, key === "stw" ? str(w) : ""]));
    } else {
      drawSpans(ctx, procLanes.get(+key.slice(1)), y, lh, (g) => (g < 0 ? several : [goColor(g), "G" + g]));
    }
  });
}
function drawTaskLanes() {
  drawLaneCanvas(tasksCanvas, hasTasks, layoutTasks, () => tasksLayout, (ctx, key, y, lh) => {
    if (key[0] === "t") drawSpans(ctx, taskRows[+key.slice(1)], y, lh, (k) => [COLORS.task, str(LN.tk[k + 2])]);
    else drawSpans(ctx, regionLanes.get(key.slice(1)), y, lh, (si) => (si < 0 ? several : [nameColor(si), str(si)]));
  });
}
// What the hover card says of lane `key` at time t, within a pixel: [title, detail], or null.
function laneTip(key, t) {
  const px = (view.t1 - view.t0) / plotW();
  const at = (spans) => {
    if (!spans) return -1;
    for (let k = 0; k + 2 < spans.length; k += 3) if (spans[k] <= t + px && spans[k + 1] >= t - px) return k;
    return -1;
  };
  const span = (spans, k) => fmtDur(spans[k + 1] - spans[k]) + " from +" + fmtDur(spans[k]);
  const merged = (w) => -w + " merged, each shorter than ";
  if (key === "gc" || key === "stw") {
    const spans = phaseLanes.get(key === "gc" ? 0 : 1), k = at(spans);
    if (k < 0) return null;
    const w = spans[k + 2];
    const name = key === "gc" ? "GC mark phase" : w >= 0 ? str(w) : "stop-the-world";
    return [w < 0 ? (key === "gc" ? "GC mark phases: " : "stop-the-world pauses: ") + merged(w) + fmtDur(LN.phq) : name, span(spans, k)];
  }
  if (key[0] === "p") {
    const spans = procLanes.get(+key.slice(1)), k = at(spans);
    if (k < 0) return null;
    const g = spans[k + 2];
    return [key.toUpperCase() + ": " + (g >= 0 ? gLabel(g) : "runs " + merged(g) + fmtDur(LN.prq)), span(spans, k)];
  }
  if (key[0] === "t") {
    const spans = taskRows[+key.slice(1)], k = at(spans);
    if (k < 0) return null;
    const j = spans[k + 2];
    return ["task " + str(LN.tk[j + 2]) + " (" + LN.tk[j] + ")" + (LN.tk[j + 5] >= 0 ? " begun by " + gLabel(LN.tk[j + 5]) : ""), span(spans, k)];
  }
  const spans = regionLanes.get(key.slice(1)), k = at(spans);
  if (k < 0) return null;
  const si = spans[k + 2], g = +key.slice(1).split("/")[0];
  return [(si >= 0 ? "region " + str(si) : "regions " + merged(si) + fmtDur(LN.rgq)) + " on " + gLabel(g), span(spans, k)];
}
// The lane under the mouse on canvas c: its key, or null.
function laneAt(c, y) {
  const lane = (c === procsCanvas ? procsLayout : tasksLayout).find(([, , ly, h]) => y >= ly && y < ly + h);
  return lane ? lane[0] : null;
}

// What the lanes hold and where they are drawn, for tests.
function lanesInfo() {
  return { procs: procIds.slice(), phases: LN.ph.length / 4, tasks: LN.tk.length / 6, regions: LN.rg.length / 5,
    procsLayout: procsLayout.map((l) => l.slice()), tasksLayout: tasksLayout.map((l) => l.slice()) };
}
