// The Goroutines tab, like `go tool trace`'s goroutine analysis: per start function or per
// goroutine, the time spent running, waiting to run, in system calls and blocked, and what it
// was blocked on most, sortable by any column; clicking a row selects its goroutines on the
// timeline. Totals are summed from the page's intervals: exact, except for goroutines whose
// short intervals a reduced report merged into bands (marked ≈). Built when first shown.
let goroutineTableBuilt = false;
const GT_COLUMNS = [
  ["name", "Start function", "text"], ["count", "N", "num"], ["exec", "Execution", "dur"], ["sched", "Sched wait", "dur"],
  ["sys", "Syscall", "dur"], ["block", "Blocked", "dur"], ["reason", "Most blocked on", "text"],
];
const GT_MAX_ROWS = 500;

// Per goroutine: its totals and its blocked time by wait reason.
function goroutineTotals() {
  const rows = [];
  for (let i = 0; i < N; i++) {
    const t = { exec: 0, sched: 0, sys: 0, block: 0, reasons: new Map(), approx: !!(G.mg && G.mg[i]) };
    for (let k = ivo[i]; k < ivo[i + 1]; k++) {
      const d = ivE[k] - ivB[k], st = codeState[ivC[k]];
      if (st === ST_RUNNING) t.exec += d;
      else if (st === ST_RUNNABLE) t.sched += d;
      else if (st === ST_SYSCALL) t.sys += d;
      else if (st === ST_WAITING) {
        t.block += d;
        const reason = str(D.codes[2 * ivC[k] + 1]) || "waiting";
        t.reasons.set(reason, (t.reasons.get(reason) || 0) + d);
      }
    }
    rows.push(t);
  }
  return rows;
}
function topReason(reasons) {
  let best = "", most = -1;
  for (const [r, d] of reasons) if (d > most) { best = r; most = d; }
  return best;
}

function buildGoroutineTable() {
  if (goroutineTableBuilt) return;
  goroutineTableBuilt = true;
  const box = $("tab-gs");
  const per = goroutineTotals();
  // Per start function: the sums of its goroutines'.
  const byFunction = groups.map((g) => {
    const s = { name: g.name, count: g.rows.length, exec: 0, sched: 0, sys: 0, block: 0, reasons: new Map(), approx: false, rows: g.rows };
    for (const i of g.rows) {
      const t = per[i];
      s.exec += t.exec; s.sched += t.sched; s.sys += t.sys; s.block += t.block;
      s.approx = s.approx || t.approx;
      for (const [r, d] of t.reasons) s.reasons.set(r, (s.reasons.get(r) || 0) + d);
    }
    s.reason = topReason(s.reasons);
    return s;
  });
  const byGoroutine = per.map((t, i) => Object.assign(t, { name: "G" + localId(G.id[i]) + " " + fnName(i), count: 1, reason: topReason(t.reasons), rows: [i] }));
  let mode = "function", sortKey = "block", descending = true;

  const controls = el("div", "gt-controls");
  const toggle = el("button", "", "");
  controls.append(toggle, el("span", "muted small", ""));
  const table = el("table", "logs gt");
  box.append(controls, table);

  const render = () => {
    toggle.textContent = mode === "function" ? "Show each goroutine" : "Show per start function";
    const source = mode === "function" ? byFunction : byGoroutine;
    const sorted = source.slice().sort((a, b) => {
      const x = a[sortKey], y = b[sortKey];
      const c = typeof x === "string" ? x.localeCompare(y) : x - y;
      return descending ? -c : c;
    });
    const shown = sorted.slice(0, GT_MAX_ROWS);
    controls.lastChild.textContent = shown.length < sorted.length ? " the first " + shown.length + " of " + sorted.length : "";
    table.replaceChildren();
    const head = el("tr");
    for (const [key, title] of GT_COLUMNS) {
      if (key === "count" && mode !== "function") continue;
      const th = el("th", "sortable", title + (key === sortKey ? (descending ? " \u25be" : " \u25b4") : ""));
      th.dataset.key = key;
      th.addEventListener("click", () => {
        if (sortKey === key) descending = !descending; else { sortKey = key; descending = key !== "name" && key !== "reason"; }
        render();
      });
      head.append(th);
    }
    table.append(head);
    for (const s of shown) {
      const tr = el("tr");
      for (const [key, , kind] of GT_COLUMNS) {
        if (key === "count" && mode !== "function") continue;
        const v = s[key];
        const text = kind === "dur" ? (v > 0 ? (s.approx ? "\u2248" : "") + fmtDur(v) : "") : String(v);
        tr.append(el("td", kind === "text" ? "" : "num", text));
      }
      tr.addEventListener("click", () => {
        selectRows(s.rows, true);
        if (s.rows.length === 1) showDetails(s.rows[0], -1, false);
      });
      table.append(tr);
    }
  };
  toggle.addEventListener("click", () => { mode = mode === "function" ? "goroutine" : "function"; render(); });
  render();
}
