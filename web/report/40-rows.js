// Timeline rows: goroutines grouped by start function (runtime-only groups last), folding, the
// density strip of a folded group, and `display`, the list of rows on the timeline.
// Goroutines that existed before the trace started are grouped apart from those it saw created:
// their start function is read from the first stack they were seen with (model::start_function),
// and their group says so ("net/http.(*conn).serve (existed at start)").
const KIND_MAIN = KIND_NAMES.indexOf("main"), KIND_SERVICE = KIND_NAMES.indexOf("runtime service");
const existedAtStart = (i) => G.ct[i] < 0 && G.kind[i] !== KIND_MAIN && G.kind[i] !== KIND_SERVICE;
const groups = [];
{
  const byFn = new Map();
  for (let i = 0; i < N; i++) {
    const existed = existedAtStart(i);
    const proc = G.p ? G.p[i] : -1;
    const key = (proc + 1) * 4294967296 + G.fn[i] * 2 + (existed ? 1 : 0);
    let g = byFn.get(key);
    if (!g) {
      g = { fn: G.fn[i], name: str(G.fn[i]) + (existed ? " (existed at start)" : ""), rows: [], collapsed: false, density: null, first: i, proc };
      byFn.set(key, g);
      groups.push(g);
    }
    g.rows.push(i);
  }
  for (const g of groups) {
    g.rows.sort((a, b) => G.id[a] - G.id[b]);
    g.collapsed = g.rows.length > 50 || (g.rows.length > 1 && G.kind[g.rows[0]] === KIND_RUNTIME);
    g.runtime = g.rows.every((i) => G.kind[i] === KIND_RUNTIME);
  }
  groups.sort((a, b) => (a.proc - b.proc) || (a.runtime - b.runtime) || (a.first - b.first));
  // Several processes: each one's groups under a header row of its own (55-processes.js).
  if (PROCS) groups.splice(0, groups.length, ...withProcessHeaders(groups));
}
const groupOfRow = new Int32Array(N);
groups.forEach((g, gi) => { if (!g.header) for (const i of g.rows) groupOfRow[i] = gi; });
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
// The goroutines of the selected finding, shown first (and not again in their groups).
let pinned = [];
const MAX_PINNED = 20;
function rebuildDisplay() {
  display = [];
  displayIndexOf.fill(-1);
  for (const i of pinned) { displayIndexOf[i] = display.length; display.push(i); }
  const isPinned = new Set(pinned);
  let foldedProc = null;  // a process whose header is folded: its groups are hidden
  groups.forEach((g, gi) => {
    if (g.header) {
      display.push(-gi - 1);
      foldedProc = g.collapsed ? g.proc : null;
      return;
    }
    if (g.proc === foldedProc) return;
    // A group of one goroutine is its row alone: the row names the function already.
    if (g.rows.length > 1) display.push(-gi - 1);
    if (!g.collapsed || g.rows.length === 1) {
      for (const i of g.rows) if (!isPinned.has(i)) { displayIndexOf[i] = display.length; display.push(i); }
    }
  });
  sizeSpacer();
}
function sizeSpacer() {
  spacer.style.height = Math.max(0, display.length * ROW_H - scroller.clientHeight) + "px";
}
