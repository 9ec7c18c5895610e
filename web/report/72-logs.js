// The Logs tab: runtime/trace.Log messages (the first 2000); a click selects the goroutine.
{
  const box = $("tab-logs");
  const n = D.logs.length / 4;
  if (n === 0) box.append(el("div", "empty", "This trace has no log messages (runtime/trace.Log)."));
  else {
    const table = el("table", "logs");
    const head = el("tr");
    for (const h of ["time", "goroutine", "category", "message"]) head.append(el("th", "", h));
    table.append(head);
    for (let k = 0; k < Math.min(n, 2000); k++) {
      const o = k * 4;
      const tr = el("tr");
      tr.append(el("td", "mono", "+" + fmtDur(D.logs[o])), el("td", "mono", "G" + localId(D.logs[o + 1])), el("td", "", str(D.logs[o + 2])), el("td", "msg", str(D.logs[o + 3])));
      tr.addEventListener("click", () => {
        const r = rowOfId.get(D.logs[o + 1]);
        if (r !== undefined) { selectRows([r], false); showDetails(r, D.logs[o], false); }
      });
      table.append(tr);
    }
    box.append(table);
    if (n > 2000 || D.logsDropped) box.append(el("div", "muted small", "Showing the first 2000 of " + (n + D.logsDropped) + " messages."));
  }
}
