// Panels: the header's summary and legend, the reduced-detail note, the side tabs, and the
// goroutine summary shown by the hover tooltip and the Details tab.

// ---- header ----------------------------------------------------------------------------
{
  const alive = G.et.filter((e) => e < 0).length;
  const parts = [counted(N, "goroutine"), fmtDur(DUR) + " traced", alive + " alive at end", counted(D.waves.length, "cancel wave"),
    counted(D.fd.length, "finding")];
  $("summary").textContent = parts.join(" \u00b7 ");
  const legend = $("legend");
  for (const [label, color] of [["running", COLORS.running], ["runnable", COLORS.runnable], ["syscall", COLORS.syscall],
    ["waiting: select", COLORS.select], ["waiting: chan", COLORS.chan], ["waiting: sync", COLORS.sync], ["waiting: I/O", COLORS.io],
    ["waiting: sleep", COLORS.sleep], ["waiting: other", COLORS.other]]) {
    const item = el("span", "lg");
    const sw = el("i");
    sw.style.background = color;
    item.append(sw, document.createTextNode(label));
    legend.append(item);
  }
  for (const [text, color] of [["cancel wave", COLORS.wave], ["cancelled by the standard library or runtime", COLORS.wave_lib]]) {
    const wave = el("span", "lg");
    const sw = el("i", "wave");
    sw.style.background = color;
    wave.append(sw, document.createTextNode(text));
    legend.append(wave);
  }
}

// ---- reduced detail: the report kept its intervals within a budget (docs/report.md) -----
// The waits an exact goroutine keeps: 1ms, or a sixteenth of the quantum past 16ms, as
// render/interval_budget.cc's long_wait() (the data does not carry it).
const exactLongWait = D.detail ? Math.max(1e6, Math.floor(D.detail.q / 16)) : 0;
// Goroutines the page knows keep what matters exact: those findings name, cancellers and the
// goroutines waves woke (the critical paths' are not in the data).
const findingGoroutines = new Set();
for (const f of D.fd) for (const id of f.gs) findingGoroutines.add(id);
const exactNamed = new Set(findingGoroutines);
for (const w of D.waves) exactNamed.add(w.g);
for (const id of wokenBy.keys()) exactNamed.add(id);
if (D.detail) {
  const note = el("div", "detail-note");
  note.id = "detail-note";
  let namedBanded = 0;
  for (const id of findingGoroutines) {
    const row = rowOfId.get(id);
    if (row !== undefined && G.mg[row]) namedBanded++;
  }
  const fmtCount = (n) => n.toLocaleString("en");
  note.textContent = "Detail reduced to stay within " + fmtCount(D.detail.max) + " intervals: of " +
    fmtCount(D.detail.recorded) + " state intervals, those shorter than " + fmtDur(D.detail.q) +
    " are merged into bands showing their most telling state (running > syscall > runnable > waiting), " +
    fmtCount(D.detail.kept) + " kept. The goroutines of findings, cancel waves and critical paths (" +
    fmtCount(D.detail.exact) + ") are merged the same way" +
    (namedBanded > 0 ? " (here " + fmtCount(namedBanded) + " of the " + fmtCount(findingGoroutines.size) + " that findings name)" : "") +
    ", but keep exact their first and last intervals (the wait a leak blocks in, the end), their waits of " +
    fmtDur(exactLongWait) + " or more and the waits a cancel woke them from.";
  $("legend").before(note);
}

// ---- tabs ------------------------------------------------------------------------------
function showTab(name) {
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const t of document.querySelectorAll(".tab")) t.classList.toggle("hidden", t.id !== "tab-" + name);
  if (name === "dag") drawDag();
  if (name === "gs") buildGoroutineTable();
  if (name === "ctx") buildContexts();
}
for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));

// ---- details ---------------------------------------------------------------------------
function showDetails(i, t, switchTab) {
  const box = $("tab-details");
  box.replaceChildren();
  fillGoroutineSummary(box, i, t, 40);
  const n = ivo[i + 1] - ivo[i];
  box.append(el("div", "muted small", n + " state intervals"));
  const zoom = el("button", "", "Zoom to its lifetime");
  zoom.addEventListener("click", () => selectRows([i], true));
  box.append(zoom);
  if (switchTab !== false) showTab("details");
}

// At most max frames, leaf first; the program's first frame (outside the Go installation) is
// never cut away: below net/http's or the runtime's frames it takes the last place, after a
// line saying how many were skipped.
function appendStack(parent, title, si, max) {
  const frames = stackFrames(si);
  if (frames.length === 0) return;
  parent.append(el("div", "tt-sub", title));
  const ul = el("ul", "stack");
  const app = D.stkA ? D.stkA[si] : -1;
  const addFrame = (f, k) => {
    const li = el("li", k === app ? "app" : "");
    li.append(el("span", "fn", f.fn));
    li.append(el("span", "loc", " " + shortFile(f.file) + ":" + f.line));
    li.title = f.file + ":" + f.line;
    ul.append(li);
  };
  const head = app >= max ? max - 1 : max;
  frames.slice(0, head).forEach(addFrame);
  let shown = Math.min(head, frames.length);
  if (app >= max) {
    ul.append(el("li", "muted", "\u2026 " + (app - head) + " frames"));
    addFrame(frames[app], app);
    shown = app + 1;
  }
  if (frames.length > shown) ul.append(el("li", "muted", "\u2026 " + (frames.length - shown) + " more frames"));
  parent.append(ul);
}

function fillGoroutineSummary(box, i, t, maxFrames) {
  box.append(el("div", "tt-title", "G" + localId(G.id[i]) + "  " + fnName(i)));
  const kv = el("div", "kv");
  const add = (k, v) => { kv.append(el("span", "k", k)); kv.append(el("span", "v", v)); };
  add("kind", KIND_NAMES[G.kind[i]] || "?");
  add("created", G.ct[i] >= 0 ? "+" + fmtDur(G.ct[i]) + (G.cr[i] >= 0 ? " by " + gLabel(G.cr[i]) : "") : "before the trace");
  add("ended", G.et[i] >= 0 ? "+" + fmtDur(G.et[i]) : "alive at trace end (" + stateLabel(G.st[i], str(G.rs[i])) + ")");
  let k = -1;
  if (t >= 0) {
    k = intervalAt(i, t);
    if (k >= 0) add("at +" + fmtDur(t), codeLabel[ivC[k]] + " for " + fmtDur(ivE[k] - ivB[k]));
    if (k >= 0 && ivW[k] >= 0) add("woken by", gLabel(ivW[k]) + " at +" + fmtDur(ivE[k]));
  }
  if (G.mg && G.mg[i]) add("detail", "reduced: its intervals shorter than " + fmtDur(D.detail.q) + " are merged into bands of their most telling state" +
    (exactNamed.has(G.id[i]) ? "; its first and last intervals, waits of " + fmtDur(exactLongWait) + " or more and cancel wakes are exact" : ""));
  const wb = wokenBy.get(G.id[i]);
  if (wb) add("cancel", "woken by cancel #" + localWave(wb[0]) + " at +" + fmtDur(wb[1]));
  else if (G.ww[i] >= 0) add("last woken by", gLabel(G.ww[i]));
  box.append(kv);
  if (k >= 0 && ivS[k] > 0) appendStack(box, codeState[ivC[k]] === ST_WAITING ? "Blocking stack" : "Stack", ivS[k], maxFrames);
  else if (G.bs[i] > 0) appendStack(box, "Blocking stack at trace end", G.bs[i], maxFrames);
  appendStack(box, "Creation stack", G.cs[i], maxFrames);
  const logs = logsOf.get(G.id[i]);
  if (logs) {
    box.append(el("div", "tt-sub", "Log messages"));
    const ul = el("ul", "stack");
    logs.slice(0, 5).forEach((o) => ul.append(el("li", "", "+" + fmtDur(D.logs[o]) + " [" + str(D.logs[o + 2]) + "] " + str(D.logs[o + 3]))));
    box.append(ul);
  }
}
