// The Findings tab: one card per finding; a click selects, reveals and zooms to its goroutines.
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
    const gs = f.gs.slice(0, 12).map((id) => "G" + id).join(", ") + (f.gs.length > 12 ? ", \u2026" : "");
    card.append(el("div", "f-gs", gs));
    const activate = () => {
      for (const c of box.querySelectorAll(".finding.active")) c.classList.remove("active");
      card.classList.add("active");
      const rows = f.gs.map((id) => rowOfId.get(id)).filter((r) => r !== undefined);
      view.mark = f.t;
      selectRows(rows, true, f.t);
      if (rows.length) showDetails(rows[0], f.t, false);
    };
    card.addEventListener("click", activate);
    card.addEventListener("keydown", (e) => { if (e.key === "Enter") activate(); });
    box.append(card);
  });
}
