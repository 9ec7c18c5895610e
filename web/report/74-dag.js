// The Termination DAG tab: goroutine ends and cancel calls in time order as SVG under a time
// axis, as wide as the panel, the critical path in red; past DAG_MAX nodes they are grouped by
// kind and start function, as the DOT export groups them. Built when the tab is first shown.
let dagDrawn = false;
const DAG_MAX = 160;
function drawDag() {
  if (dagDrawn) return;
  dagDrawn = true;
  const view = $("dag-view"), note = $("dag-note");
  const dag = D.dag;
  // Node and edge kinds by name from the data (dag.node_kinds, dag.edge_kinds), not enum copies.
  const NODE_CANCEL = dag.node_kinds.indexOf("cancel"), EDGE_SPAWN = dag.edge_kinds.indexOf("spawn");
  // Steps no single event decided ("after": polled ctx.Err(); "woken": woken by the cancel, ended
  // later after wakes traced to nothing) are dotted.
  const EDGE_INFERRED = new Set([dag.edge_kinds.indexOf("after"), dag.edge_kinds.indexOf("woken")]);
  const nNodes = dag.n.length / 4, nEdges = dag.e.length / 4;
  if (nNodes === 0) { view.append(el("div", "empty", "No goroutine ended and no context was cancelled: the DAG is empty.")); return; }
  const critEdges = new Set(dag.crit >= 0 ? dag.cp[dag.crit] : []);
  const critNodes = new Set();
  for (const e of critEdges) { critNodes.add(dag.e[4 * e + 1]); critNodes.add(dag.e[4 * e + 2]); }
  const nodeFn = (k) => { const g = dag.n[4 * k + 2]; return rowOfId.has(g) ? fnName(rowOfId.get(g)) : (g >= 0 ? "?" : "deadline timer"); };

  // Units drawn one per row: a node each, or a group of nodes of one kind and start function.
  const grouped = nNodes > DAG_MAX;
  const units = [];
  const unitOf = new Int32Array(nNodes);
  const byKey = new Map();
  for (let k = 0; k < nNodes; k++) {
    const kind = dag.n[4 * k], t = dag.n[4 * k + 1];
    const key = grouped ? kind + "\n" + nodeFn(k) : String(k);
    let u = byKey.get(key);
    if (u === undefined) {
      u = units.length;
      byKey.set(key, u);
      units.push({ kind, t0: t, t1: t, count: 0, crit: false, first: k });
    }
    const unit = units[u];
    unit.t0 = Math.min(unit.t0, t);
    unit.t1 = Math.max(unit.t1, t);
    unit.count++;
    unit.crit = unit.crit || critNodes.has(k);
    unitOf[k] = u;
  }
  const order = units.map((_, u) => u).sort((a, b) => units[a].t0 - units[b].t0 || units[a].first - units[b].first);
  if (grouped) note.textContent = nNodes + " nodes grouped by kind and start function into " + units.length + " rows; the critical path's in red.";

  // Edges between units, merged with counts when grouped.
  const links = new Map();
  for (let e = 0; e < nEdges; e++) {
    const from = unitOf[dag.e[4 * e + 1]], to = unitOf[dag.e[4 * e + 2]];
    if (from === to) continue;
    const key = from + ">" + to + ">" + dag.e[4 * e];
    let l = links.get(key);
    if (!l) { l = { from, to, kind: dag.e[4 * e], t: dag.e[4 * e + 3], count: 0, crit: false }; links.set(key, l); }
    l.count++;
    l.crit = l.crit || critEdges.has(e);
  }

  const W = Math.max(420, view.clientWidth - 4), rowH = 22, left = 8, labelW = Math.min(260, Math.round(W * 0.42)), top = 30;
  let tmin = Infinity, tmax = -Infinity;
  for (const u of units) { tmin = Math.min(tmin, u.t0); tmax = Math.max(tmax, u.t1); }
  const span = Math.max(1, tmax - tmin);
  const xOf = (t) => left + labelW + ((t - tmin) / span) * (W - labelW - 36);
  const pos = new Map();
  order.forEach((u, r) => pos.set(u, { x: xOf(units[u].t0), x1: xOf(units[u].t1), y: top + 10 + r * rowH }));
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  const H = top + 20 + order.length * rowH;
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

  // Time axis: since the start of the trace, over the span the nodes cover.
  const step = niceStep(span, W - labelW - 36, 90);
  svg.append(mk("line", { x1: xOf(tmin), y1: top - 4, x2: xOf(tmax), y2: top - 4, stroke: "#c5ccd5" }));
  for (let t = Math.ceil(tmin / step) * step; t <= tmax; t += step) {
    const x = xOf(t);
    svg.append(mk("line", { x1: x, y1: top - 8, x2: x, y2: H, stroke: "#eceff3" }));
    const label = mk("text", { x: x + 2, y: top - 12, class: "dag-axis" });
    label.textContent = "+" + fmtDur(t);
    svg.append(label);
  }

  for (const l of links.values()) {
    const from = pos.get(l.from), to = pos.get(l.to);
    // Curves bend right of both ends, but never past the panel's edge (their arrowheads show).
    const midX = Math.min(Math.max(from.x, to.x) + 10, W - 4);
    const path = mk("path", {
      d: "M " + from.x + " " + from.y + " C " + midX + " " + from.y + ", " + midX + " " + to.y + ", " + to.x + " " + to.y,
      fill: "none", stroke: l.crit ? "#d62728" : "#a9b3bf", "stroke-width": l.crit ? 2.5 : 1,
      "marker-end": l.crit ? "url(#ahc)" : "url(#ah)",
    });
    if (l.kind === EDGE_SPAWN) path.setAttribute("stroke-dasharray", "3 2");
    else if (EDGE_INFERRED.has(l.kind)) path.setAttribute("stroke-dasharray", "1 3");
    const t = mk("title", {});
    t.textContent = (dag.edge_kinds[l.kind] || "?") + " at +" + fmtDur(l.t) + (l.count > 1 ? " (\u00d7" + l.count + ")" : "");
    path.append(t);
    svg.append(path);
  }
  for (const u of order) {
    const p = pos.get(u), unit = units[u], k = unit.first;
    const g = dag.n[4 * k + 2], wave = dag.n[4 * k + 3];
    const crit = unit.crit;
    const grp = mk("g", { class: "dag-node" + (crit ? " crit" : "") });
    if (unit.count > 1) {
      // A group: a bar from its first node's time to its last.
      grp.append(mk("rect", { x: p.x - 3, y: p.y - 4, width: Math.max(6, p.x1 - p.x + 6), height: 8, rx: 4,
        fill: crit ? "#d62728" : unit.kind === NODE_CANCEL ? "#f0a23b" : "#5a6b7d", class: "dag-group" }));
    } else {
      grp.append(mk(unit.kind === NODE_CANCEL ? "rect" : "circle", unit.kind === NODE_CANCEL
        ? { x: p.x - 5, y: p.y - 5, width: 10, height: 10, fill: crit ? "#d62728" : "#f0a23b", transform: "rotate(45 " + p.x + " " + p.y + ")" }
        : { cx: p.x, cy: p.y, r: 4.5, fill: crit ? "#d62728" : "#5a6b7d" }));
    }
    const label = mk("text", { x: left, y: p.y + 4, class: "dag-label" + (crit ? " crit" : "") });
    if (unit.count > 1) {
      label.textContent = (unit.kind === NODE_CANCEL ? "cancels by " : "ends of ") + nodeFn(k) + " \u00d7" + unit.count;
    } else {
      label.textContent = unit.kind === NODE_CANCEL ? "cancel #" + localWave(wave) + (g >= 0 ? " by G" + localId(g) : " (timer)") : "end G" + localId(g) + " " + nodeFn(k);
    }
    const title = mk("title", {});
    title.textContent = label.textContent + (unit.count > 1 ? " from +" + fmtDur(unit.t0) + " to +" + fmtDur(unit.t1) : " at +" + fmtDur(unit.t0));
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
    const kinds = steps.map((e) => dag.edge_kinds[dag.e[4 * e]] || "?").join(", ");
    head.textContent = "Critical path: cancel #" + localWave(dag.crit + 1) + " \u2192 " + steps.length + " step" + (steps.length === 1 ? "" : "s") +
      " (" + kinds + ") \u2192 last end at +" + fmtDur(dag.n[4 * last + 1]) + " (G" + localId(dag.n[4 * last + 2]) + ")";
    view.prepend(head);
  }
  if (!dag.acyclic) view.prepend(el("div", "warn", "The DAG has a cycle: the trace's order is inconsistent."));
}
