// View state shared by drawing and interaction: layout constants, the palette, the page's
// canvases, the visible time range, hover and selection, time <-> pixel mapping, and the frame
// scheduler that redraws everything at most once per animation frame.
const ROW_H = 18;
const LABEL_W = 230;
// Waits are told apart by hue and lightness both (blue against yellow survives the common
// colour-vision deficiencies): select, chan, sync, I/O, sleep, other.
const COLORS = {
  running: "#2f9e5b", runnable: "#8cc4ec", syscall: "#f0a23b",
  select: "#8e9bd6", chan: "#ecd67a", sync: "#d69ac4", io: "#7cc9a6", sleep: "#dedede", other: "#b4b0a8",
  band_text: "#27313c",
  wave: "#d62728", wave_lib: "#eba9a9", select_row: "rgba(255, 196, 0, 0.22)", hover_row: "rgba(40, 100, 200, 0.08)",
  grid: "#eceff3", text: "#1d2733", muted: "#6b7785", group_bg: "#f3f5f8",
  process_bg: "#dfe6ef", cross_request: "rgba(0, 128, 128, 0.85)", cross_cancel: "#b3122b",
};

const scroller = $("tl-scroll"), spacer = $("tl-spacer");
const tlCanvas = $("timeline"), axisCanvas = $("axis");
const plotStates = $("plot-states"), plotHeap = $("plot-heap");
const tooltip = $("tooltip");

const view = { t0: 0, t1: DUR, hoverRow: -1, mouseX: -1, mark: -1 };
let selected = new Set();   // goroutine row indexes
let searchHits = [];
let searchPos = -1;
let showEdges = false;
const plotW = () => Math.max(10, tlCanvas.clientWidth - LABEL_W);
const X = (t) => LABEL_W + ((t - view.t0) / (view.t1 - view.t0)) * plotW();
const T = (x) => view.t0 + ((x - LABEL_W) / plotW()) * (view.t1 - view.t0);

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

// drawAll draws the axis and timeline (50-timeline.js), the lanes (65-lanes.js) and the plots
// (60-plots.js).
let frameQueued = false;
function redraw() {
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(() => { frameQueued = false; drawAll(); });
}
const frameMs = { axis: 0, timeline: 0, lanes: 0, states: 0, heap: 0 };
function drawAll() {
  let t = performance.now(), u;
  drawAxis();
  u = performance.now(); frameMs.axis = u - t; t = u;
  drawTimeline();
  u = performance.now(); frameMs.timeline = u - t; t = u;
  drawProcLanes();
  drawTaskLanes();
  u = performance.now(); frameMs.lanes = u - t; t = u;
  drawStatePlot();
  u = performance.now(); frameMs.states = u - t; t = u;
  drawHeapPlot();
  frameMs.heap = performance.now() - t;
}
