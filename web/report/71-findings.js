// The Findings tab: one card per finding; a click pins its goroutines above the groups, zooms
// onto what matters and opens their Details.

// From the last wake before the goroutines' block at time t (the wait the finding is about,
// or the last that began by then) to a margin past t, the finding's time (its cancel): a
// goroutine alive the whole trace is not shown at the whole trace's scale, where its wake and
// block share a pixel.
function zoomToWhatMatters(rows, t) {
  let lo = Infinity;
  for (const r of rows.slice(0, MAX_PINNED)) {
    let block = -1;
    for (let k = ivo[r]; k < ivo[r + 1] && ivB[k] <= t; k++) if (codeState[ivC[k]] === ST_WAITING) block = k;
    lo = Math.min(lo, block > ivo[r] ? ivB[block - 1] : block === ivo[r] ? ivB[block] : lifeBegin(r));
  }
  if (!Number.isFinite(lo) || lo >= t) {
    if (rows.length) revealRows(rows, true, t);
    return;
  }
  const pad = Math.max((t - lo) * 0.15, 1000);
  setRange(lo - pad, t + pad);
}
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
    const gs = f.gs.slice(0, 12).map((id) => "G" + localId(id)).join(", ") + (f.gs.length > 12 ? ", \u2026" : "");
    card.append(el("div", "f-gs", gs));
    const activate = () => {
      for (const c of box.querySelectorAll(".finding.active")) c.classList.remove("active");
      card.classList.add("active");
      const rows = f.gs.map((id) => rowOfId.get(id)).filter((r) => r !== undefined);
      view.mark = f.t;
      selectRows(rows, false, f.t, true);
      zoomToWhatMatters(rows, f.t);
      scroller.scrollTop = 0;
      if (rows.length) showDetails(rows[0], f.t, true);
    };
    card.addEventListener("click", activate);
    card.addEventListener("keydown", (e) => { if (e.key === "Enter") activate(); });
    box.append(card);
  });
}
