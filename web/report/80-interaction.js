// Interaction: zoom and pan (wheel, drag, W/A/S/D, 0), clicks on rows, the hover tooltip,
// selection, and the search box.

// ---- zoom and pan ----------------------------------------------------------------------
const MIN_RANGE = 100;  // ns
function setRange(t0, t1) {
  let r = Math.max(MIN_RANGE, t1 - t0);
  const pad = DUR * 0.02;
  r = Math.min(r, DUR + 2 * pad);
  t0 = Math.max(-pad, Math.min(t0, DUR + pad - r));
  view.t0 = t0;
  view.t1 = t0 + r;
  redraw();
}
function zoomAt(factor, x) {
  const t = x >= LABEL_W ? T(x) : (view.t0 + view.t1) / 2;
  setRange(t - (t - view.t0) * factor, t + (view.t1 - t) * factor);
}
function pan(fraction) {
  const d = (view.t1 - view.t0) * fraction;
  setRange(view.t0 + d, view.t1 + d);
}
function onWheel(e) {
  e.preventDefault();
  const rect = tlCanvas.getBoundingClientRect();
  if (e.shiftKey) { scroller.scrollTop += e.deltaY; return; }
  if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) { pan(e.deltaX / plotW()); return; }
  const unit = e.deltaMode === 1 ? 16 : 1;
  zoomAt(Math.exp(e.deltaY * unit * 0.0025), e.clientX - rect.left);
}
for (const c of [scroller, axisCanvas, procsCanvas, tasksCanvas, plotStates, plotHeap]) c.addEventListener("wheel", onWheel, { passive: false });

let drag = null;
scroller.addEventListener("mousedown", (e) => {
  if (e.button !== 0) return;
  drag = { x: e.clientX, y: e.clientY, t0: view.t0, t1: view.t1, top: scroller.scrollTop, moved: false };
  scroller.focus();
  e.preventDefault();
});
window.addEventListener("mousemove", (e) => {
  if (drag) {
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (drag.moved) {
      const dt = (dx / plotW()) * (drag.t1 - drag.t0);
      setRange(drag.t0 - dt, drag.t1 - dt);
      scroller.scrollTop = drag.top - dy;
      hideTooltip();
      return;
    }
  }
  onHover(e);
});
window.addEventListener("mouseup", (e) => {
  if (!drag) return;
  const wasClick = !drag.moved;
  drag = null;
  if (wasClick) onClick(e);
});
scroller.addEventListener("scroll", () => redraw());
scroller.addEventListener("mouseleave", () => { view.hoverRow = -1; view.mouseX = -1; hideTooltip(); redraw(); });
window.addEventListener("resize", () => { sizeSpacer(); redraw(); });
// The first draw can come before the page's layout settles (the scroller may still be 0
// pixels high then): redraw whenever the scroller's size changes, the first layout included.
if (typeof ResizeObserver === "function") new ResizeObserver(() => { sizeSpacer(); redraw(); }).observe(scroller);
// Typing in a text field is not a shortcut; a ticked checkbox keeps the focus and must not
// swallow them.
function typingIn(target) {
  if (target instanceof HTMLTextAreaElement || (target instanceof HTMLElement && target.isContentEditable)) return true;
  return target instanceof HTMLInputElement && !["checkbox", "radio", "button"].includes(target.type);
}
document.addEventListener("keydown", (e) => {
  if (typingIn(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
  const x = view.mouseX >= LABEL_W ? view.mouseX : -1;
  switch (e.key.toLowerCase()) {
    case "w": zoomAt(0.8, x); break;
    case "s": zoomAt(1.25, x); break;
    case "a": pan(-0.15); break;
    case "d": pan(0.15); break;
    case "0": setRange(0, DUR); break;
    case "/": e.preventDefault(); $("search").focus(); return;
    default: return;
  }
  e.preventDefault();
});
$("reset-zoom").addEventListener("click", () => setRange(0, DUR));
axisCanvas.addEventListener("click", (e) => { onAxisClick(e.clientX - axisCanvas.getBoundingClientRect().left); });
$("show-edges").addEventListener("change", (e) => { showEdges = e.target.checked; redraw(); });

function rowAt(e) {
  const rect = tlCanvas.getBoundingClientRect();
  const y = e.clientY - rect.top;
  const x = e.clientX - rect.left;
  if (y < 0 || y > rect.height || x < 0 || x > rect.width) return { d: -1, x };
  const d = Math.floor((y + scroller.scrollTop) / ROW_H);
  return { d: d >= 0 && d < display.length ? d : -1, x };
}
function onClick(e) {
  const { d, x } = rowAt(e);
  if (d < 0) return;
  const r = display[d];
  if (r < 0) {
    const g = groups[-r - 1];
    g.collapsed = !g.collapsed;
    rebuildDisplay();
    redraw();
    return;
  }
  selected = new Set([r]);
  showDetails(r, x >= LABEL_W ? T(x) : -1);
  redraw();
}

// ---- hover tooltip ---------------------------------------------------------------------
function hideTooltip() { tooltip.classList.add("hidden"); }
function intervalAt(i, t) {
  const k = firstVisibleInterval(i, t);
  return k < ivo[i + 1] && ivB[k] <= t ? k : -1;
}
function onHover(e) {
  if (e.target === procsCanvas || e.target === tasksCanvas) { onLaneHover(e); return; }
  const { d, x } = rowAt(e);
  const prevRow = view.hoverRow, prevX = view.mouseX;
  view.hoverRow = d;
  view.mouseX = d >= 0 ? x : -1;
  if (prevRow !== d || prevX !== view.mouseX) redraw();
  if (d < 0) { hideTooltip(); return; }
  const r = display[d];
  tooltip.replaceChildren();
  const arrow = PROCS ? crossArrowAt(x, e.clientY - tlCanvas.getBoundingClientRect().top) : null;
  if (arrow) {
    tooltip.append(el("div", "tt-title", arrow.k === "cancel" ? "Cancel across processes" : "Request across processes"));
    tooltip.append(el("div", "", arrow.tip));
  } else if (r < 0 && groups[-r - 1].header) {
    const g = groups[-r - 1];
    tooltip.append(el("div", "tt-title", g.name));
    tooltip.append(el("div", "", g.sub));
    tooltip.append(el("div", "", g.rows.length + " goroutines \u00b7 click to " + (g.collapsed ? "expand" : "fold")));
  } else if (r < 0) {
    const g = groups[-r - 1];
    tooltip.append(el("div", "tt-title", g.name));
    tooltip.append(el("div", "", g.rows.length + " goroutines \u00b7 click to " + (g.collapsed ? "expand" : "fold")));
  } else {
    fillGoroutineSummary(tooltip, r, x >= LABEL_W ? T(x) : -1, 6);
  }
  placeTooltip(e);
}
// The lanes' hover card (65-lanes.js laneTip): what ran, which phase, task or region.
function onLaneHover(e) {
  const rect = e.target.getBoundingClientRect();
  const x = e.clientX - rect.left, key = laneAt(e.target, e.clientY - rect.top);
  const tip = key !== null && x >= LABEL_W ? laneTip(key, T(x)) : null;
  if (!tip) { hideTooltip(); return; }
  tooltip.replaceChildren(el("div", "tt-title", tip[0]), el("div", "", tip[1]));
  placeTooltip(e);
}
function placeTooltip(e) {
  tooltip.classList.remove("hidden");
  const tw = tooltip.offsetWidth, th = tooltip.offsetHeight;
  let left = e.clientX + 14, top = e.clientY + 14;
  if (left + tw > window.innerWidth - 8) left = e.clientX - tw - 14;
  if (top + th > window.innerHeight - 8) top = Math.max(8, e.clientY - th - 14);
  tooltip.style.left = left + "px";
  tooltip.style.top = top + "px";
}

// ---- selection -------------------------------------------------------------------------
function revealRows(rows, zoom, at) {
  let changed = false;
  for (const r of rows) {
    const g = groups[groupOfRow[r]];
    if (g.collapsed) { g.collapsed = false; changed = true; }
    const header = PROCS ? processHeader(g.proc) : null;
    if (header && header.collapsed) { header.collapsed = false; changed = true; }
  }
  if (changed) rebuildDisplay();
  if (zoom && rows.length) {
    let lo = Infinity, hi = -Infinity;
    for (const r of rows) { lo = Math.min(lo, lifeBegin(r)); hi = Math.max(hi, lifeEnd(r)); }
    if (at !== undefined && at >= 0) { lo = Math.min(lo, at); hi = Math.max(hi, at); }
    const pad = Math.max((hi - lo) * 0.08, 1000);
    setRange(lo - pad, hi + pad);
  }
  const ds = rows.map((r) => displayIndexOf[r]).filter((d) => d >= 0).sort((a, b) => a - b);
  if (ds.length) {
    const top = ds[0] * ROW_H, bottom = (ds[ds.length - 1] + 1) * ROW_H;
    const h = scroller.clientHeight;
    if (top < scroller.scrollTop || bottom > scroller.scrollTop + h) {
      scroller.scrollTop = Math.max(0, bottom - top < h ? top - (h - (bottom - top)) / 2 : top - ROW_H);
    }
  }
  redraw();
}
// pin: show these rows first, above every group (a finding's goroutines while it is selected).
function selectRows(rows, zoom, at, pin) {
  selected = new Set(rows);
  const wanted = pin ? rows.slice(0, MAX_PINNED) : [];
  if (wanted.join() !== pinned.join()) {
    pinned = wanted;
    rebuildDisplay();
  }
  revealRows(rows, zoom, at);
  document.body.dataset.selected = rows.map((r) => G.id[r]).join(",");
}

// ---- search ----------------------------------------------------------------------------
{
  const input = $("search"), status = $("search-status");
  let timer = 0, lastQuery = null;
  const run = () => {
    const q = input.value.trim();
    lastQuery = input.value;
    searchHits = [];
    searchPos = -1;
    if (q) {
      const m = /^g?(\d+)$/i.exec(q);
      if (m && rowOfId.has(Number(m[1]))) searchHits.push(rowOfId.get(Number(m[1])));
      const lq = q.toLowerCase();
      for (const g of groups) {
        const name = g.name.toLowerCase();
        if (name.includes(lq)) for (const r of g.rows) if (searchHits.length < 5000) searchHits.push(r);
      }
    }
    status.textContent = q ? (searchHits.length ? searchHits.length + " found \u00b7 Enter: next" : "not found") : "";
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { input.value = ""; run(); input.blur(); return; }
    if (e.key !== "Enter") return;
    clearTimeout(timer);
    if (searchPos < 0 || input.value !== lastQuery) run();
    if (!searchHits.length) return;
    searchPos = (searchPos + 1) % searchHits.length;
    const r = searchHits[searchPos];
    selectRows([r], false);
    showDetails(r, -1);
    status.textContent = (searchPos + 1) + " of " + searchHits.length;
  });
}
