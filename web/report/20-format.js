// Formatting and page-building helpers: durations, byte counts, file names, goroutine labels,
// and el(), the one way this script makes an element with text (textContent, never markup).
const $ = (id) => document.getElementById(id);
// "1 finding", "4 findings".
function counted(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function fmtDur(ns, digits) {
  const a = Math.abs(ns);
  const d = digits === undefined ? 3 : digits;
  if (a < 1e3) return ns.toFixed(0) + " ns";
  if (a < 1e6) return +(ns / 1e3).toPrecision(d) + " \u00b5s";
  if (a < 1e9) return +(ns / 1e6).toPrecision(d) + " ms";
  return +(ns / 1e9).toPrecision(d + 1) + " s";
}
function fmtBytes(b) {
  if (b < 1024) return b + " B";
  if (b < 1 << 20) return (b / 1024).toFixed(1) + " KiB";
  if (b < 1 << 30) return (b / (1 << 20)).toFixed(1) + " MiB";
  return (b / (1 << 30)).toFixed(2) + " GiB";
}
function shortFile(f) {
  const parts = f.split("/");
  return parts.slice(-2).join("/");
}
function gLabel(id) {
  const r = rowOfId.get(id);
  return r === undefined ? "G" + localId(id) : "G" + localId(id) + " " + fnName(r);
}
