// Drives ctxtrail's HTML report in real headless Chromium. Run by tests/report_browser_test.cc:
//   node tests/browser/report_test.mjs DIR
// DIR holds workerpool.html (report of testdata/report/workerpool.trace), xss.html (a trace
// whose strings are markup), trail.html (report of testdata/report/trail.trace, which has a
// context tree), many-contexts.html (a context with 450 children), reduced.html (workerpool with --max-intervals 60),
// demo.html (testdata/demo/checkout.trace), gcpressure.html and annotations.html (testdata/traces/:
// GC and P lanes; runtime/trace tasks and regions), existed.html (net/http connections from
// before the trace), woken.html (a goroutine the cancel woke that ended later), sleeper.html (a 10 µs run, then a 1 s sleep),
// xproc.html (three processes: testdata/xproc/traces/clean) and
// workerpool.mermaid; screenshots are written there.
// Prints one line per check and exits non-zero when one fails.
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node report_test.mjs DIR');
  process.exit(2);
}
const kArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) passed++; else failed++;
  console.log((ok ? 'ok   ' : 'FAIL ') + name + (detail !== undefined ? ': ' + detail : ''));
}

async function openReport(browser, file, problems) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  // (Reading pixels back is the tests' doing: Chromium's advice about it is not the page's.)
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/willReadFrequently/.test(m.text())) problems.push(m.type() + ': ' + m.text());
  });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('dialog', async (d) => { problems.push('dialog opened: ' + d.message()); await d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push('network request: ' + r.url()); });
  const t0 = Date.now();
  await page.goto('file://' + path.resolve(dir, file));
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  return { page, ms: Date.now() - t0 };
}

async function workerPool(browser) {
  const problems = [];
  const { page, ms } = await openReport(browser, 'workerpool.html', problems);
  check('report opens and paints', true, ms + ' ms');
  // Before any interaction the timeline must already show its rows: a canvas as high as its
  // scroller, with ink in the row area (the first draw can precede the page's layout).
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const painted = await page.evaluate(() => {
    const c = document.getElementById('timeline');
    const scroller = document.getElementById('tl-scroll');
    if (c.height === 0) return { height: 0, ink: 0, scroller: scroller.clientHeight };
    const img = c.getContext('2d').getImageData(0, 0, c.width, Math.min(c.height, 200)).data;
    let ink = 0;
    for (let i = 0; i < img.length; i += 4) if (img[i + 3] > 0 && (img[i] < 200 || img[i + 1] < 200 || img[i + 2] < 200)) ink++;
    return { height: c.clientHeight, ink, scroller: scroller.clientHeight };
  });
  check('the timeline is painted before any interaction', painted.height === painted.scroller && painted.height > 0 && painted.ink > 500, JSON.stringify(painted));
  const data = await page.evaluate(() => JSON.parse(document.getElementById('ctxtrail-data').textContent));
  const ids = data.g.id;
  const fns = data.g.fn.map((i) => data.str[i]);
  // The script finds these states and kinds by name in the data's name arrays (web/report/10-decode.js).
  const names = { states: data.state_names, kinds: data.kind_names };
  check('the data names the states and kinds the page looks up', Array.isArray(names.states) && Array.isArray(names.kinds) &&
    ['runnable', 'running', 'waiting', 'syscall'].every((n) => names.states.includes(n)) && names.kinds.includes('runtime') &&
    data.g.st.every((s) => s >= 0 && s < names.states.length) && data.g.kind.every((k) => k >= 0 && k < names.kinds.length), JSON.stringify(names));
  check('the trace has the pool\'s goroutines', fns.filter((f) => f === 'main.worker').length === 6 && fns.includes('main.stubbornWorker'), fns.join(' '));

  await page.evaluate(() => window.ctxtrailReport.expandAll());
  await page.waitForTimeout(100);
  const rows = await page.evaluate(() => window.ctxtrailReport.rows());
  const visible = await page.evaluate(() => window.ctxtrailReport.visibleGoroutines());
  const fnCounts = new Map();
  for (const f of fns) fnCounts.set(f, (fnCounts.get(f) || 0) + 1);
  const sharedFns = [...fnCounts.values()].filter((n) => n > 1).length;
  check('one row per goroutine plus one per start function that several share', sharedFns > 0 && rows === ids.length + sharedFns,
    rows + ' rows');
  check('worker rows are on screen', ids.filter((id, i) => fns[i] === 'main.worker').every((id) => visible.includes(id)), visible.join(','));

  // Clicking a finding selects (and scrolls to) its goroutines.
  const cards = await page.locator('.finding').count();
  check('findings panel lists every finding', cards === data.fd.length && cards > 0, cards + ' cards');
  const stubborn = data.fd.findIndex((f) => /stubbornWorker/.test(f.msg));
  check('the stubborn worker is a finding', stubborn >= 0);
  if (stubborn >= 0) {
    await page.locator('.finding').nth(stubborn).click();
    await page.waitForTimeout(100);
    const sel = await page.evaluate(() => window.ctxtrailReport.selected());
    check('clicking a finding selects its goroutines', JSON.stringify(sel) === JSON.stringify(data.fd[stubborn].gs), JSON.stringify(sel));
    const vis = await page.evaluate(() => window.ctxtrailReport.visibleGoroutines());
    check('its goroutines are scrolled into view', data.fd[stubborn].gs.every((g) => vis.includes(g)));
  }

  // Zoom with the wheel and with w/s; pan with a/d.
  await page.locator('#reset-zoom').click();
  const box = await page.locator('#timeline').boundingBox();
  const before = await page.evaluate(() => window.ctxtrailReport.view());
  await page.mouse.move(box.x + box.width * 0.6, box.y + 40);
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(50);
  const wheeled = await page.evaluate(() => window.ctxtrailReport.view());
  check('wheel zooms in', wheeled.t1 - wheeled.t0 < (before.t1 - before.t0) * 0.6, JSON.stringify(wheeled));
  await page.keyboard.press('w');
  const w = await page.evaluate(() => window.ctxtrailReport.view());
  check('w zooms in', w.t1 - w.t0 < wheeled.t1 - wheeled.t0);
  await page.keyboard.press('d');
  const d = await page.evaluate(() => window.ctxtrailReport.view());
  check('d pans right', d.t0 > w.t0 && Math.abs((d.t1 - d.t0) - (w.t1 - w.t0)) < 1);
  await page.keyboard.press('s');
  const s = await page.evaluate(() => window.ctxtrailReport.view());
  check('s zooms out', s.t1 - s.t0 > d.t1 - d.t0);
  // Drag pans.
  await page.mouse.move(box.x + 700, box.y + 60);
  await page.mouse.down();
  await page.mouse.move(box.x + 500, box.y + 60, { steps: 5 });
  await page.mouse.up();
  const dragged = await page.evaluate(() => window.ctxtrailReport.view());
  check('dragging pans', dragged.t0 > s.t0);

  // Hover shows a goroutine's details.
  await page.locator('#reset-zoom').click();
  await page.evaluate(() => window.ctxtrailReport.expandAll());
  // (The finding clicked above pins its goroutine first: hover the row of another, below.)
  const shownIds = await page.evaluate(() => { document.getElementById('tl-scroll').scrollTop = 0; return window.ctxtrailReport.displayed(); });
  const rowIndex = shownIds.findIndex((id, d) => d > 0 && id >= 0);
  await page.mouse.move(box.x + 600, box.y + 18 * rowIndex + 9);
  await page.waitForTimeout(50);
  const tip = await page.locator('#tooltip').textContent();
  check('hover shows goroutine details', /G\d+/.test(tip) && /created/.test(tip), tip.slice(0, 80));

  // Search by function.
  await page.locator('#search').fill('stubborn');
  await page.locator('#search').press('Enter');
  const found = await page.evaluate(() => window.ctxtrailReport.selected());
  const stubbornId = ids[fns.indexOf('main.stubbornWorker')];
  check('search finds a goroutine by function', found.length === 1 && found[0] === stubbornId, JSON.stringify(found));
  await page.locator('#search').fill('G' + ids[fns.indexOf('main.producer')]);
  await page.locator('#search').press('Enter');
  const byId = await page.evaluate(() => window.ctxtrailReport.selected());
  check('search finds a goroutine by ID', byId[0] === ids[fns.indexOf('main.producer')]);

  // The termination DAG and logs tabs draw.
  await page.locator('#tabs button[data-tab="dag"]').click();
  const dagNodes = await page.locator('#dag-view .dag-node').count();
  check('termination DAG is drawn', dagNodes === data.dag.n.length / 4 || dagNodes > 0, dagNodes + ' nodes');
  // Kinds come from the data by name: cancel calls are squares, edges are titled by their kind.
  const cancelNodes = data.dag.n.filter((v, i) => i % 4 === 0 && v === data.dag.node_kinds.indexOf('cancel')).length;
  const squares = await page.locator('#dag-view .dag-node rect').count();
  check('DAG cancel calls drawn as squares', cancelNodes > 0 && squares === cancelNodes, squares + ' of ' + cancelNodes);
  const edgeTitles = await page.locator('#dag-view path > title').allTextContents();
  check('DAG edges titled by kind', edgeTitles.length > 0 && edgeTitles.every((t) => /^(spawn|wake|cancel|after) at \+/.test(t)),
        edgeTitles.slice(0, 3).join(' | '));
  await page.screenshot({ path: path.join(dir, 'report-dag.png') });
  await page.locator('#tabs button[data-tab="logs"]').click();
  const logText = await page.locator('#tab-logs').textContent();
  check('log message with markup renders as text', logText.includes('<script>alert("x")</script> & "quotes"') && logText.includes('&amp;'));
  const scripts = await page.evaluate(() => document.querySelectorAll('script').length);
  check('no element was created from trace strings', scripts === 2, scripts + ' script elements');

  await page.locator('#tabs button[data-tab="findings"]').click();
  await page.locator('.finding').nth(Math.max(0, stubborn)).click();
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(dir, 'report.png') });
  check('console has no errors', problems.length === 0, problems.join(' | '));
  await page.close();
}

async function xss(browser) {
  const problems = [];
  const { page } = await openReport(browser, 'xss.html', problems);
  await page.evaluate(() => window.ctxtrailReport.expandAll());
  await page.waitForTimeout(100);
  const title = await page.title();
  check('title with markup is text', title.includes('evil <trace> & "name".trace'), title);
  const msg = await page.locator('.finding .f-msg').first().textContent();
  check('function name with </script> renders as text', msg.includes('</script><script>alert("x")</script>&amp;\'q\''), msg);
  const injected = await page.evaluate(() => [document.querySelectorAll('script').length, document.querySelectorAll('b').length, window.__pwned === undefined]);
  check('no script or element injected', injected[0] === 2 && injected[1] === 0 && injected[2], JSON.stringify(injected));
  await page.locator('#tabs button[data-tab="logs"]').click();
  const logs = await page.locator('#tab-logs').textContent();
  check('log with </script> renders as text', logs.includes('</script><script>alert(1)</script>') && logs.includes('<b>cat</b>'));
  await page.screenshot({ path: path.join(dir, 'report-xss.png') });
  check('xss page: console has no errors and no dialog opened', problems.length === 0, problems.join(' | '));
  await page.close();
}

// The Contexts tab of a trail trace (testdata/report/trail.trace): the tree, the edge
// latencies coloured by the slow-propagation threshold, the cause as text, and a watcher
// button that selects its goroutine in the timeline.
async function contextTree(browser) {
  const problems = [];
  const { page } = await openReport(browser, 'trail.html', problems);
  const ctx = await page.evaluate(() => JSON.parse(document.getElementById('ctxtrail-data').textContent).ctx);
  check('trail trace has context data', ctx && ctx.c.length === 4, ctx && ctx.c.length);
  await page.locator('#tabs button[data-tab="ctx"]').click();
  const tree = await page.evaluate(() => Array.from(document.querySelectorAll('#tab-ctx li.ctx-node')).map((li) => {
    const parent = li.parentElement.closest('li.ctx-node');
    return { id: li.dataset.ctx, parent: parent ? parent.dataset.ctx : '', kind: li.querySelector('.ctx-kind').textContent };
  }));
  check('contexts tab shows the tree', JSON.stringify(tree) === JSON.stringify([
    { id: '1', parent: '', kind: 'background' }, { id: '2', parent: '1', kind: 'cancelcause' },
    { id: '3', parent: '2', kind: 'timeout' }, { id: '4', parent: '2', kind: 'cancel' }]), JSON.stringify(tree));
  const lat = await page.evaluate(() => Array.from(document.querySelectorAll('#tab-ctx .ctx-lat')).map((e) => e.className));
  check('edge latencies are coloured healthy and slow', JSON.stringify(lat) === JSON.stringify(['ctx-lat healthy', 'ctx-lat slow']), JSON.stringify(lat));
  const text = await page.locator('#tab-ctx').textContent();
  check('cancel cause with markup renders as text', text.includes('<b>shutting down</b> & "quoted"') && text.includes('main.go:73'), text.slice(0, 300));
  const injected = await page.evaluate(() => document.querySelectorAll('#tab-ctx b').length);
  check('no element injected by the cause', injected === 0);
  // Folding: a click on #2's row hides its children.
  await page.locator('#tab-ctx li.ctx-node[data-ctx="2"] > .ctx-row').click();
  const hidden = await page.locator('#tab-ctx li.ctx-node[data-ctx="3"]').isVisible();
  check('clicking a context folds its children', !hidden);
  await page.locator('#tab-ctx li.ctx-node[data-ctx="2"] > .ctx-row').click();
  const watcher = ctx.c[3].w[0];
  await page.locator('#tab-ctx li.ctx-node[data-ctx="4"] > .ctx-body button.ctx-g[data-g="' + watcher + '"]').first().click();
  await page.waitForTimeout(100);
  const sel = await page.evaluate(() => window.ctxtrailReport.selected());
  check('clicking a watcher selects its goroutine', JSON.stringify(sel) === JSON.stringify([watcher]), JSON.stringify(sel));
  await page.screenshot({ path: path.join(dir, 'report-contexts.png') });
  check('contexts page: console has no errors', problems.length === 0, problems.join(' | '));
  await page.close();
}

// A context with 450 children unfolds 200 at a time, with a button for the next ones.
async function manyContexts(browser) {
  const problems = [];
  const { page } = await openReport(browser, 'many-contexts.html', problems);
  await page.locator('#tabs button[data-tab="ctx"]').click();
  const count = () => page.evaluate(() => document.querySelectorAll('#tab-ctx li.ctx-node').length);
  await page.locator('#tab-ctx li.ctx-node[data-ctx="1"] > .ctx-row').click();
  const first = await count();
  await page.locator('#tab-ctx li.ctx-more button').click();
  const second = await count();
  await page.locator('#tab-ctx li.ctx-more button').click();
  const third = await count();
  const more = await page.locator('#tab-ctx li.ctx-more').count();
  check('a large context tree unfolds 200 children at a time', first === 201 && second === 401 && third === 451 && more === 0,
    [first, second, third, more].join(' '));
  check('many contexts: console has no errors', problems.length === 0, problems.join(' | '));
  await page.close();
}

// A report reduced by --max-intervals says so on the page; the full one does not.
async function reducedNote(browser) {
  const problems = [];
  for (const [file, want] of [['reduced.html', true], ['workerpool.html', false]]) {
    const { page } = await openReport(browser, file, problems);
    const note = page.locator('#detail-note');
    const shown = (await note.count()) > 0 && (await note.isVisible());
    const text = shown ? await note.textContent() : '';
    check(file + (want ? ' shows the' : ' has no') + ' reduced-detail note', shown === want && (!want || /merged into bands/.test(text)), text);
    if (want) {
      // The hover of a banded goroutine says its intervals were merged.
      const data = await page.evaluate(() => JSON.parse(document.getElementById('ctxtrail-data').textContent));
      const row = data.g.mg.indexOf(1);
      await page.evaluate(() => window.ctxtrailReport.expandAll());
      await page.locator('#search').fill('G' + data.g.id[row]);
      await page.locator('#search').press('Enter');
      const details = await page.locator('#tab-details').textContent();
      check('details of a banded goroutine say it was reduced', row >= 0 && /reduced: its intervals shorter than/.test(details), details.slice(0, 200));
    }
    await page.close();
  }
  check('reduced pages: console has no errors', problems.length === 0, problems.join(' | '));
}

// Of the pixels painted along a row, the share in colour hex ("#rrggbb").
function shareOf(pixels, hex) {
  if (!pixels || pixels.length === 0) return 0;
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const same = pixels.filter((p) => p.every((v, i) => Math.abs(v - want[i]) <= 2)).length;
  return same / pixels.length;
}

// At whole-trace zoom a row that ran briefly and then blocked for long shows the block: the
// demo's G12 (cancel-ignored) and G13 (blocked-forever) wait on a channel from the cancel to the
// end of the trace.
async function longWaitsShow(browser) {
  const problems = [];
  const { page } = await openReport(browser, 'demo.html', problems);
  await page.evaluate(() => window.ctxtrailReport.expandAll());
  const result = await page.evaluate(() => {
    const r = window.ctxtrailReport;
    const cancel = r.waveTimes()[0];
    const out = { chan: r.stateColor('chan') };
    for (const g of [12, 13]) out[g] = r.rowColors(g, cancel, r.duration());
    return out;
  });
  for (const g of [12, 13]) {
    const share = shareOf(result[g], result.chan);
    check(`demo G${g}: its chan wait fills its row from the cancel to the end at whole-trace zoom`,
      share >= 0.95, `${(share * 100).toFixed(1)}% of ${result[g] ? result[g].length : 0} px`);
  }
  // A band wide enough carries its reason: dark pixels of text along G13's band.
  const text = await page.evaluate(() => {
    const r = window.ctxtrailReport;
    return r.rowColors(13, r.waveTimes()[0], r.duration(), 10);
  });
  const dark = text ? text.filter((p) => p[0] < 130 && p[1] < 130 && p[2] < 130).length : 0;
  check('demo G13: its wide chan band says why it waits', dark >= 5, dark + ' dark px');
  // Wait reasons are told apart: every two of their colours differ clearly.
  const palette = await page.evaluate(() => ['select', 'chan', 'sync', 'io', 'sleep', 'other', 'runnable'].map((n) => [n, window.ctxtrailReport.stateColor(n)]));
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let closest = ['', 1e9];
  for (let a = 0; a < palette.length; a++) {
    for (let b = a + 1; b < palette.length; b++) {
      const d = Math.hypot(...rgb(palette[a][1]).map((v, i) => v - rgb(palette[b][1])[i]));
      if (d < closest[1]) closest = [palette[a][0] + '/' + palette[b][0], d];
    }
  }
  // The plots say what they show: a legend for the states, titles that stay in their column.
  const plots = await page.evaluate(() => ({
    legend: Array.from(document.querySelectorAll('#states-legend .lg')).map((e) => e.textContent),
    titles: Array.from(document.querySelectorAll('.plot-title')).map((e) => { const r = e.getBoundingClientRect(); return [e.textContent, r.right, r.height]; }),
  }));
  check('the states plot has a legend and the plot titles stay in the label column',
    JSON.stringify(plots.legend) === '["running","syscall","runnable","waiting"]' && plots.titles.every(([, right]) => right <= 230),
    JSON.stringify(plots));
  const summary = await page.locator('#summary').textContent();
  check('the header counts in words that agree with the number', /· 1 cancel wave ·/.test(summary) && /4 findings$/.test(summary), summary);
  check('wait colours are told apart (RGB distance of the closest pair)', closest[1] >= 45, closest[0] + ' ' + closest[1].toFixed(0));
  await page.screenshot({ path: path.join(dir, 'demo.png') });

  // Names cut to the label column keep their package.
  const names = await page.evaluate(() => {
    const data = JSON.parse(document.getElementById('ctxtrail-data').textContent);
    return data.g.id.map((id, i) => [data.str[data.g.fn[i]], window.ctxtrailReport.rowName(id)]);
  });
  const cut = names.filter(([full, shown]) => full !== shown);
  const pkg = (f) => f.slice(0, f.indexOf('.', f.lastIndexOf('/') + 1) + 1);
  const pkgName = (f) => pkg(f).slice(f.lastIndexOf('/') + 1);
  check('names cut to the label column keep their package', cut.length > 0 &&
    cut.every(([full, shown]) => shown.startsWith(pkg(full) + '\u2026') || shown.startsWith(pkgName(full) + '\u2026')),
    JSON.stringify(cut.map((c) => c[1])));

  // The Goroutines tab: per start function, sorted by time blocked; main.sendReceipt (G13)
  // blocked on a chan receive for 1.72 s; a click on its row selects it.
  await page.locator('#tabs button[data-tab="gs"]').click();
  const table = await page.evaluate(() => Array.from(document.querySelectorAll('#tab-gs table.gt tr')).map((tr) =>
    Array.from(tr.children).map((td) => td.textContent)));
  const header = table[0].map((h) => h.replace(/ [\u25be\u25b4]$/, ''));
  const col = (name) => header.indexOf(name);
  const sendReceipt = table.find((r) => r[0] === 'main.sendReceipt');
  check('the Goroutines tab totals each start function\'s time', !!sendReceipt && /^1\.7\d* s$/.test(sendReceipt[col('Blocked')]) &&
    sendReceipt[col('Most blocked on')] === 'chan receive' && sendReceipt[col('N')] === '1', JSON.stringify(sendReceipt));
  const blocked = table.slice(1).map((r) => r[col('Blocked')]);
  await page.locator('#tab-gs th', { hasText: 'Execution' }).click();
  const execs = await page.evaluate(() => Array.from(document.querySelectorAll('#tab-gs table.gt tr')).slice(1).map((tr) => tr.children[2].textContent));
  const ns = (t) => {
    const m = /^\u2248?([\d.]+) (ns|\u00b5s|ms|s)$/.exec(t);
    return m ? Number(m[1]) * { ns: 1, '\u00b5s': 1e3, ms: 1e6, s: 1e9 }[m[2]] : 0;
  };
  const descending = (list) => list.every((v, k) => k === 0 || ns(list[k - 1]) >= ns(v));
  check('the Goroutines tab sorts by a clicked column', table.length > 5 && descending(blocked) && descending(execs) && ns(execs[0]) > ns(execs[execs.length - 1]),
    'blocked: ' + blocked.join(',') + '; execution: ' + execs.join(','));
  await page.locator('#tab-gs td', { hasText: 'main.sendReceipt' }).click();
  const picked = await page.evaluate(() => window.ctxtrailReport.selected());
  check('a Goroutines row selects its goroutines', JSON.stringify(picked) === '[13]', JSON.stringify(picked));

  await page.locator('#tabs button[data-tab="findings"]').click();
  // Clicking G13's finding pins G13 above the groups, zooms onto its block and the cancel (not
  // the whole trace it was alive for) and opens its Details.
  await page.locator('.finding', { hasText: 'blocked-forever' }).first().click();
  await page.waitForTimeout(150);
  const clicked = await page.evaluate(() => {
    const r = window.ctxtrailReport;
    const v = r.view();
    return { view: v, wave: r.waveTimes()[0], displayed: r.displayed(), chan: r.stateColor('chan'),
      px: r.rowColors(13, Math.max(v.t0, 0.2e6), v.t1) };
  });
  check('a finding\'s goroutine is pinned first', clicked.displayed[0] === 13, JSON.stringify(clicked.displayed));
  check('a finding zooms onto its block and its cancel', clicked.view.t0 < 0.1e6 && clicked.view.t1 > clicked.wave &&
    clicked.view.t1 - clicked.view.t0 < 0.3e9, JSON.stringify(clicked.view));
  const zoomedShare = shareOf(clicked.px, clicked.chan);
  check('zoomed, G13\'s chan wait fills its row', zoomedShare >= 0.95, (zoomedShare * 100).toFixed(1) + '%');
  const details = page.locator('#tab-details');
  check('a finding opens the Details tab', await details.isVisible() && /G13/.test(await details.textContent()));

  // G20 runs 10 µs at 1 ms, then sleeps 1 s: the sleep shows at every zoom.
  const sleeper = await openReport(browser, 'sleeper.html', problems);
  await sleeper.page.evaluate(() => window.ctxtrailReport.expandAll());
  const ms = 1e6;
  const sleep = [1 * ms + 10000, 1001 * ms + 10000];
  for (const [t0, t1] of [[0, 2000 * ms], [0, 3 * ms], [0.99 * ms, 1.03 * ms], [500 * ms, 600 * ms], [999 * ms, 1003 * ms]]) {
    const got = await sleeper.page.evaluate(([a, b, s0, s1]) => {
      const r = window.ctxtrailReport;
      r.setView(a, b);
      // A pixel's margin at each end of the visible part of the sleep: its edges share pixels.
      const pad = (b - a) / 1000;
      return { px: r.rowColors(20, Math.max(a, s0) + pad, Math.min(b, s1) - pad), sleep: r.stateColor('sleep') };
    }, [t0, t1, sleep[0], sleep[1]]);
    const share = shareOf(got.px, got.sleep);
    check(`sleeper: its 1 s sleep after a 10 µs run shows in view [${t0 / ms} ms, ${t1 / ms} ms]`, share >= 0.95,
      `${(share * 100).toFixed(1)}% of ${got.px ? got.px.length : 0} px`);
  }

  // Eight cancels within 6 ms: one label with a count at whole-trace zoom, each its own zoomed in.
  const labels = await sleeper.page.evaluate(() => {
    const r = window.ctxtrailReport;
    r.setView(0, 2000e6);
    const whole = r.waveLabels();
    r.setView(4.5e6, 10.5e6);
    return { n: r.waveTimes().length, whole, zoomed: r.waveLabels() };
  });
  check('close cancel waves share one label with a count', labels.n === 8 && labels.whole.length === 1 && /\+7$/.test(labels.whole[0]) &&
    labels.zoomed.length === 8, JSON.stringify(labels));

  // Clicking the cluster's label zooms onto its waves: each gets its own label.
  const cluster = await sleeper.page.evaluate(() => {
    const r = window.ctxtrailReport;
    r.setView(0, 2000e6);
    const rect = document.getElementById('axis').getBoundingClientRect();
    return { clusters: r.waveClusters(), left: rect.left, top: rect.top };
  });
  const [cx, cw] = cluster.clusters[0];
  await sleeper.page.mouse.click(cluster.left + cx + cw / 2, cluster.top + 20);
  const expanded = await sleeper.page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => {
    const r = window.ctxtrailReport;
    ok({ view: r.view(), times: r.waveTimes(), labels: r.waveLabels() });
  })));
  check('clicking a cluster of waves zooms until each has its label', expanded.labels.length === 8 &&
    expanded.times.every((t) => t >= expanded.view.t0 && t <= expanded.view.t1), JSON.stringify(expanded));

  // Zoomed to 0.5 ms near 1 s, the axis labels the first tick in full and the rest as offsets,
  // and no label runs off the right edge.
  const axis = await sleeper.page.evaluate(() => {
    const r = window.ctxtrailReport;
    r.setView(999e6, 999.5e6);
    return { labels: r.axisLabels(), width: r.axisWidth() };
  });
  const texts = axis.labels.map((a) => a[1]);
  check('axis labels near 1 s at µs zoom are short offsets', texts.length >= 3 && texts.slice(1).every((t) => /^\+\d{1,4}(\.\d+)? (µs|ms)$/.test(t)) &&
    axis.labels.every(([x, , w]) => x + w <= axis.width), JSON.stringify(texts));

  // Past 160 nodes the DAG tab groups them by kind and start function, under a time axis, and
  // fits the panel.
  await sleeper.page.locator('#tabs button[data-tab="dag"]').click();
  const dagTab = await sleeper.page.evaluate(() => {
    const svg = document.querySelector('#dag-view svg');
    return { labels: Array.from(svg.querySelectorAll('.dag-label')).map((t) => t.textContent),
      axis: Array.from(svg.querySelectorAll('.dag-axis')).map((t) => t.textContent),
      width: svg.getBoundingClientRect().width, panel: document.getElementById('dag-view').clientWidth };
  });
  check('the DAG tab groups 200 ends of one function into one row', dagTab.labels.includes('ends of main.short \u00d7200') &&
    dagTab.labels.length < 20, JSON.stringify(dagTab.labels));
  check('the DAG tab has a time axis and fits its panel', dagTab.axis.length >= 2 && dagTab.axis.every((a) => /^\+/.test(a)) &&
    dagTab.width <= dagTab.panel + 1, JSON.stringify([dagTab.axis, dagTab.width, dagTab.panel]));
  await sleeper.page.screenshot({ path: path.join(dir, 'dag-grouped.png') });

  // The hover card shows six frames: G21's handler, under seven of net/http's, still shows.
  const hover = await sleeper.page.evaluate(() => window.ctxtrailReport.hoverText(21, 10e6));
  const lines = hover.split('\n');
  const handler = lines.findIndex((l) => /^main\.handler/.test(l));
  check('hover stack keeps the program\'s frame below library frames', handler >= 0 && handler <= 6 && lines[handler - 1] === '\u2026 3 frames',
    hover.replace(/\n/g, ' | '));

  // Ticking "spawn & wake edges" leaves the focus on the checkbox: the keys still zoom.
  await sleeper.page.evaluate(() => window.ctxtrailReport.setView(0, 2000e6));
  await sleeper.page.locator('#show-edges').check();
  await sleeper.page.keyboard.press('w');
  const zoomed = await sleeper.page.evaluate(() => window.ctxtrailReport.view());
  check('w zooms after ticking the edges checkbox', zoomed.t1 - zoomed.t0 < 2000e6 * 0.9, JSON.stringify(zoomed));
  await sleeper.page.close();
  check('long waits: console has no errors', problems.length === 0, problems.join(' | '));
  await page.close();
}

// The colour a page's CSS colour string paints, as "#rrggbb" (for shareOf).
function paintedColor(page, css) {
  return page.evaluate((c) => {
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.fillStyle = c;
    ctx.fillRect(0, 0, 1, 1);
    return '#' + Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3), (v) => v.toString(16).padStart(2, '0')).join('');
  }, css);
}

// What ran on each P, GC and stop-the-world (gcpressure.trace), and the tasks and regions of
// runtime/trace annotations (annotations.trace), drawn from the data's `lanes`.
async function lanesShow(browser) {
  const problems = [];
  const gc = (await openReport(browser, 'gcpressure.html', problems)).page;
  const lanes = await gc.evaluate(() => {
    const d = JSON.parse(document.getElementById('ctxtrail-data').textContent).lanes;
    const runs = [], phases = [];
    for (let k = 0; k + 3 < d.pr.length; k += 4) runs.push(d.pr.slice(k, k + 4));
    for (let k = 0; k + 3 < d.ph.length; k += 4) phases.push(d.ph.slice(k, k + 4));
    return { runs, phases, info: window.ctxtrailReport.lanes() };
  });
  const ps = [...new Set(lanes.runs.map((r) => r[0]))].sort((a, b) => a - b);
  check('one lane per P that ran a goroutine', ps.length >= 1 && JSON.stringify(ps) === JSON.stringify(lanes.info.procs) &&
    lanes.info.procsLayout.filter((l) => /^p\d+$/.test(l[0])).length === ps.length, JSON.stringify([ps, lanes.info.procs]));
  // The longest run, zoomed onto: its P's lane is the goroutine's colour along it.
  const run = lanes.runs.filter((r) => r[3] >= 0).sort((a, b) => b[2] - a[2])[0];
  const runColors = await gc.evaluate(([p, b, d]) => {
    window.ctxtrailReport.setView(b - d / 2, b + 1.5 * d);
    return window.ctxtrailReport.laneColors('p' + p, b + 0.1 * d, b + 0.9 * d);
  }, run);
  const goWant = await paintedColor(gc, await gc.evaluate((g) => window.ctxtrailReport.goColor(g), run[3]));
  const tip = await gc.evaluate(([p, b, d]) => window.ctxtrailReport.laneTip('p' + p, b + d / 2), run);
  check('hovering a P lane names the goroutine that ran', tip !== null && tip[0].startsWith('P' + run[0] + ': G' + run[3] + ' ') &&
    /^\S+ \S+ from \+/.test(tip[1]), JSON.stringify([run, tip]));
  check('a P lane shows the goroutine that ran on it', shareOf(runColors, goWant) > 0.95, JSON.stringify([run, goWant, runColors && runColors.slice(0, 3)]));
  // The longest GC mark phase, zoomed onto, is GC's colour on the GC lane.
  const mark = lanes.phases.filter((p) => p[0] === 0).sort((a, b) => b[2] - a[2])[0];
  check('the trace has GC mark phases', !!mark, JSON.stringify(lanes.phases.slice(0, 4)));
  if (mark) {
    const gcColors = await gc.evaluate(([, b, d]) => {
      window.ctxtrailReport.setView(b - d / 2, b + 1.5 * d);
      return window.ctxtrailReport.laneColors('gc', b + 0.1 * d, b + 0.9 * d);
    }, mark);
    const gcWant = await paintedColor(gc, '#c77c02');
    check('the GC lane shows the mark phase', shareOf(gcColors, gcWant) > 0.95, JSON.stringify([mark, gcColors && gcColors.slice(0, 3)]));
  }
  // At whole-trace zoom the short runs share their pixels: the P lanes are not empty.
  const inked = await gc.evaluate((p) => {
    const r = window.ctxtrailReport;
    r.setView(0, r.duration());
    return r.laneColors('p' + p, 0, r.duration()).filter((c) => c.some((v) => v < 235)).length;
  }, ps[0]);
  check('at whole-trace zoom a P lane shows its runs', inked > 20, String(inked));
  await gc.screenshot({ path: path.join(dir, 'lanes-gc.png') });
  await gc.close();

  const an = (await openReport(browser, 'annotations.html', problems)).page;
  const ann = await an.evaluate(() => {
    const data = JSON.parse(document.getElementById('ctxtrail-data').textContent);
    const d = data.lanes, S = data.str;
    const tasks = [], regions = [];
    for (let k = 0; k + 5 < d.tk.length; k += 6) tasks.push({ name: S[d.tk[k + 2]], b: d.tk[k + 3], e: d.tk[k + 4] });
    for (let k = 0; k + 4 < d.rg.length; k += 5) regions.push({ g: d.rg[k], depth: d.rg[k + 1], b: d.rg[k + 2], d: d.rg[k + 3], si: d.rg[k + 4], name: S[d.rg[k + 4]] });
    return { tasks, regions, info: window.ctxtrailReport.lanes() };
  });
  const names = ann.tasks.map((t) => t.name).sort();
  check('the tasks of the annotations are in the data', names.filter((n) => n === 'request').length === 4 && names.includes('outer') &&
    names.includes('spans generations'), JSON.stringify(names));
  const outer = ann.tasks.find((t) => t.name === 'outer');
  const taskColors = await an.evaluate((t) => {
    const r = window.ctxtrailReport;
    r.setView(0, r.duration());
    const e = t.e < 0 ? r.duration() : t.e;
    return r.laneColors('t0', t.b + 0.1 * (e - t.b), t.b + 0.9 * (e - t.b));
  }, outer);
  const taskWant = await paintedColor(an, '#3f7fbf');
  check('the outer task is drawn along its time', shareOf(taskColors, taskWant) > 0.9, JSON.stringify(taskColors && taskColors.slice(0, 3)));
  // A nested region ("db query" inside "handle") on its goroutine's second depth lane.
  const inner = ann.regions.find((r) => r.name.startsWith('db query') && r.depth === 1);
  check('a region nested in another is on the deeper lane', !!inner && ann.regions.some((r) => r.name === 'handle' && r.g === inner.g && r.depth === 0),
    JSON.stringify(ann.regions.slice(0, 6)));
  if (inner) {
    const rc = await an.evaluate((r) => {
      window.ctxtrailReport.setView(r.b - r.d / 2, r.b + 1.5 * r.d);
      return [window.ctxtrailReport.laneColors('r' + r.g + '/' + r.depth, r.b + 0.1 * r.d, r.b + 0.9 * r.d), window.ctxtrailReport.nameColor(r.si)];
    }, inner);
    const want = await paintedColor(an, rc[1]);
    check('the region is drawn in its name\'s colour', shareOf(rc[0], want) > 0.95, JSON.stringify([inner, want, rc[0] && rc[0].slice(0, 3)]));
  }
  await an.evaluate(() => window.ctxtrailReport.setView(0, window.ctxtrailReport.duration()));
  await an.screenshot({ path: path.join(dir, 'lanes-annotations.png') });
  await an.close();
  check('lanes: console has no errors', problems.length === 0, problems.join(' | '));
}

// Waves the program's own code started stand out; those net/http's code started are lighter.
async function libraryWaves(browser) {
  const problems = [];
  const { page } = await openReport(browser, 'std-net_http-client.html', problems);
  const waves = await page.evaluate(() => {
    const d = JSON.parse(document.getElementById('ctxtrail-data').textContent);
    const r = window.ctxtrailReport;
    // Zoomed onto each wave in turn: a cluster's label covers the marks of the waves it counts.
    return d.waves.map((w) => {
      r.setView(w.t - 20, w.t + 20);
      return { id: w.id, lib: d.stkA[w.stk] < 0, timer: w.timer, color: r.waveMarkColor(w.id) };
    });
  });
  const hex = (c) => '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
  const near = (c, want) => shareOf([c], want) === 1;
  const lib = waves.filter((w) => w.lib && !w.timer), own = waves.filter((w) => !w.lib || w.timer);
  check('waves started by the standard library are drawn lighter', lib.length >= 8 && lib.every((w) => near(w.color, '#eba9a9')),
    JSON.stringify(lib.map((w) => [w.id, hex(w.color)])));
  check('the program\'s own waves stand out', own.length >= 1 && own.every((w) => near(w.color, '#d62728')),
    JSON.stringify(own.map((w) => [w.id, hex(w.color)])));
  await page.close();
  check('library waves: console has no errors', problems.length === 0, problems.join(' | '));
}

// Goroutines that existed before the trace are grouped by their first stack's outermost frame
// outside the runtime, apart from those the trace saw start, and their group says so.
async function existedAtStart(browser) {
  const problems = [];
  const { page } = await openReport(browser, 'existed.html', problems);
  const groups = await page.evaluate(() => window.ctxtrailReport.groups());
  const has = (name, n) => groups.some(([g, k]) => g === name && k === n);
  check('goroutines from before the trace are grouped by their function, marked as existing at start',
    has('net/http.(*conn).serve (existed at start)', 4) && has('net/http.(*conn).serve', 2) &&
    groups.every(([g]) => !/^runtime\.(goexit|gopark)/.test(g)), JSON.stringify(groups));
  await page.close();
  check('existed at start: console has no errors', problems.length === 0, problems.join(' | '));
}

// A goroutine the cancel woke that went on and ended after wakes traced to nothing is a "woken"
// step of the critical path, drawn dotted.
async function wokenStep(browser) {
  const problems = [];
  const { page } = await openReport(browser, 'woken.html', problems);
  await page.locator('#tabs button[data-tab="dag"]').click();
  const dag = await page.evaluate(() => {
    const head = document.querySelector('#dag-view .crit-summary');
    const edges = Array.from(document.querySelectorAll('#dag-view svg path')).filter((p) => p.querySelector('title'))
      .map((p) => [p.querySelector('title').textContent, p.getAttribute('stroke-dasharray')]);
    return { head: head ? head.textContent : null, edges };
  });
  check('a goroutine the cancel woke that ended later is the critical path\'s "woken" step',
    dag.head !== null && /1 step \(woken\) \u2192 last end at \+42 ms \(G10\)/.test(dag.head) &&
    dag.edges.some(([t, dash]) => /^woken at \+10 ms/.test(t) && dash === '1 3'), JSON.stringify(dag));
  await page.close();
  check('woken step: console has no errors', problems.length === 0, problems.join(' | '));
}

// Three processes (xproc.html: testdata/xproc/traces/clean): a header row per process above its
// goroutines, the arrows across processes drawn between their rows, and a cancel arrow's hover
// card telling the hop's latency.
async function processes(browser) {
  const problems = [];
  const { page } = await openReport(browser, 'xproc.html', problems);
  const procs = await page.evaluate(() => window.ctxtrailReport.processes());
  check('a header row per process, in the order given', JSON.stringify(procs) === '["client","gateway","backend"]', JSON.stringify(procs));
  // Every request and every goroutine a cancel woke: an arrow between goroutine rows.
  const ends = await page.evaluate(() => window.ctxtrailReport.crossArrowEnds());
  check('an arrow per request and per goroutine a cancel woke, between goroutine rows',
    JSON.stringify(ends) === JSON.stringify([['request', 'g', 'g'], ['request', 'g', 'g'], ['cancel', 'g', 'g'], ['cancel', 'g', 'g']]),
    JSON.stringify(ends));
  // Zoomed onto the cancel, its first hop drawn: the hover card tells the hop's latency.
  const span = await page.evaluate(() => {
    const t = window.ctxtrailReport.crossArrowTimes('cancel');
    return [Math.min(...t) - 2e5, Math.max(...t) + 2e5];
  });
  await page.evaluate(([a, b]) => window.ctxtrailReport.setView(a, b), span);
  const arrows = await page.evaluate(() => window.ctxtrailReport.crossArrows());
  const c = arrows.find((a) => a.k === 'cancel');
  check('a cancel arrow is drawn', c !== undefined, JSON.stringify(arrows));
  if (c) {
    const box = await page.locator('#timeline').boundingBox();
    await page.mouse.move(box.x + (c.x0 + c.x1) / 2, box.y + (c.y0 + c.y1) / 2);
    const tip = await page.locator('#tooltip').textContent();
    check('a cancel arrow\'s hover card tells the hop\'s latency',
      /Cancel across processes/.test(tip) && /client side .*network .*server side/.test(tip), tip);
  }
  // Folding the backend hides its rows; the arrows into it end at its header.
  const before = await page.evaluate(() => window.ctxtrailReport.rows());
  await page.evaluate(() => window.ctxtrailReport.foldProcess(2));
  const after = await page.evaluate(() => [window.ctxtrailReport.rows(), window.ctxtrailReport.crossArrowEnds()]);
  check('a folded process hides its rows, the arrows into it end at its header',
    after[0] < before && after[1][1][2] === 'h' && after[1][3][2] === 'h' && after[1][0][2] === 'g', JSON.stringify([before, after]));
  await page.screenshot({ path: path.join(dir, 'report-xproc.png') });
  check('processes: console has no errors', problems.length === 0, problems.join(' | '));
  await page.close();
}

async function mermaidParses(browser) {
  const file = path.join(dir, 'workerpool.mermaid');
  if (!fs.existsSync(file)) return;
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  const text = fs.readFileSync(file, 'utf8');
  const result = await page.evaluate(async (t) => {
    try {
      window.mermaid.initialize({ startOnLoad: false });
      const r = await window.mermaid.parse(t);
      const { svg } = await window.mermaid.render('g', t);
      return { ok: !!r, type: r && r.diagramType, svg: svg.length };
    } catch (e) {
      return { ok: false, error: String(e && e.message || e) };
    }
  }, text);
  check('mermaid export parses and renders', result.ok && result.svg > 0, JSON.stringify(result));
  await page.close();
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: kArgs });
try {
  await workerPool(browser);
  await xss(browser);
  await contextTree(browser);
  await reducedNote(browser);
  await manyContexts(browser);
  await mermaidParses(browser);
  await longWaitsShow(browser);
  await lanesShow(browser);
  await libraryWaves(browser);
  await existedAtStart(browser);
  await wokenStep(browser);
  await processes(browser);
} catch (e) {
  check('browser run', false, e.stack || String(e));
} finally {
  await browser.close();
}
console.log(`browser checks: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
