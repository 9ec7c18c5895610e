// The Contexts tab: the trail context tree (docs/report.md, `ctx`).
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
