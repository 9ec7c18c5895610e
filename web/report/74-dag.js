// The Termination DAG tab: goroutine ends and cancel calls in time order as SVG, the critical
// path in red; built when the tab is first shown.
let dagDrawn = false;
function drawDag() {
  if (dagDrawn) return;
  dagDrawn = true;
  const view = $("dag-view"), note = $("dag-note");
  const dag = D.dag;
  // Node and edge kinds by name from the data (dag.node_kinds, dag.edge_kinds), not enum copies.
  const NODE_CANCEL = dag.node_kinds.indexOf("cancel"), EDGE_SPAWN = dag.edge_kinds.indexOf("spawn");
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
    for (let k = 0; k < nNodes && keep.size < MAX; k++) if (dag.n[4 * k] === NODE_CANCEL) keep.add(k);
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
    if (dag.e[4 * e] === EDGE_SPAWN) path.setAttribute("stroke-dasharray", "3 2");
    const t = mk("title", {});
    t.textContent = (dag.edge_kinds[dag.e[4 * e]] || "?") + " at +" + fmtDur(dag.e[4 * e + 3]);
    path.append(t);
    svg.append(path);
  }
  for (const k of shown) {
    const p = pos.get(k);
    const kind = dag.n[4 * k], g = dag.n[4 * k + 2], wave = dag.n[4 * k + 3];
    const crit = critNodes.has(k);
    const grp = mk("g", { class: "dag-node" + (crit ? " crit" : "") });
    grp.append(mk(kind === NODE_CANCEL ? "rect" : "circle", kind === NODE_CANCEL
      ? { x: p.x - 5, y: p.y - 5, width: 10, height: 10, fill: crit ? "#d62728" : "#f0a23b", transform: "rotate(45 " + p.x + " " + p.y + ")" }
      : { cx: p.x, cy: p.y, r: 4.5, fill: crit ? "#d62728" : "#5a6b7d" }));
    const label = mk("text", { x: left, y: p.y + 4, class: "dag-label" + (crit ? " crit" : "") });
    label.textContent = kind === NODE_CANCEL ? "cancel #" + wave + (g >= 0 ? " by G" + g : " (timer)") : "end G" + g + " " + (rowOfId.has(g) ? fnName(rowOfId.get(g)) : "");
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
