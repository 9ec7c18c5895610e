// Data decoding: reads the report data (docs/report.md) from the JSON block "ctxtrail-data"
// into flat arrays and lookup tables. Nothing here touches the page's layout.
const tStart = performance.now();
const D = JSON.parse(document.getElementById("ctxtrail-data").textContent);
const tParsed = performance.now();
const S = D.str;
const G = D.g;
const N = G.id.length;
const DUR = Math.max(1, D.dur);

// State and goroutine-kind names, indexed by the numbers in `g.st`, `codes` and `g.kind`: the
// data carries them (`state_names`, `kind_names`), so the page keeps no copy of the C++ enums
// and finds the states it treats specially by name.
const STATE_NAMES = D.state_names;
const KIND_NAMES = D.kind_names;
const ST_RUNNABLE = STATE_NAMES.indexOf("runnable"), ST_RUNNING = STATE_NAMES.indexOf("running");
const ST_WAITING = STATE_NAMES.indexOf("waiting"), ST_SYSCALL = STATE_NAMES.indexOf("syscall");
const KIND_RUNTIME = KIND_NAMES.indexOf("runtime");

// Several processes on one page (docs/cross-process.md, "Report"): their headers (`procs`) and
// the arrows across them (`xarrows`); each process's goroutine IDs sit in a range of their own
// (process p's goroutine g is `procs[p].base` + g), `g.gid` and `g.p` say whose.
const PROCS = D.procs || null;
const ID_RANGE = PROCS && PROCS.length > 1 ? PROCS[1].base : 0;
// The ID a goroutine has in its own process, from the page's.
const localId = (id) => (ID_RANGE > 0 && id >= 0 ? id % ID_RANGE : id);
// The number a wave has in its own process, from the page's (process p's waves are numbered
// from `procs[p].wbase` + 1 on): what the text output and the arrows' hover cards call it.
function localWave(id) {
  let base = 0;
  if (PROCS) for (const p of PROCS) if (p.wbase < id) base = p.wbase;
  return id - base;
}
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
// Interval codes: pairs of state and wait reason (their colours: codeColor, 50-timeline.js).
const NCODES = D.codes.length / 2;
const codeState = new Int32Array(NCODES), codeLabel = [];
for (let c = 0; c < NCODES; c++) {
  const st = D.codes[2 * c], reason = str(D.codes[2 * c + 1]);
  codeState[c] = st;
  codeLabel.push(stateLabel(st, reason));
}
function stateLabel(st, reason) {
  if (st === ST_WAITING) return reason ? "waiting: " + reason : "waiting";
  return STATE_NAMES[st] || "?";
}
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

// An interned stack as frames, leaf first.
function stackFrames(si) {
  const s = D.stk[si] || [];
  const out = [];
  for (let k = 0; k + 2 < s.length; k += 3) out.push({ fn: str(s[k]), file: str(s[k + 1]), line: s[k + 2] });
  return out;
}
