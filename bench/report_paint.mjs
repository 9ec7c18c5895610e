// First paint of ctxtrail reports in headless Chromium: for each HTML file, RUNS fresh pages;
// per run the time from navigation start to the first animation frame after the report drew
// (HTML parse, JSON.parse, decode, first draw), and the page's own split of it.
//   node bench/report_paint.mjs RUNS FILE.html...
// Uses playwright-core from tests/browser/node_modules (npm ci there).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const runs = Number(process.argv[2]);
const files = process.argv.slice(3);
if (!runs || !files.length) {
  console.error('usage: node bench/report_paint.mjs RUNS FILE.html...');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const file of files) {
    const paint = [], parse = [], decode = [], draw = [];
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto('file://' + path.resolve(file), { timeout: 120000 });
      await page.waitForSelector('body[data-ready="1"]', { timeout: 120000 });
      // performance.now() counts from navigation start.
      const t = await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() =>
        ok({ paint: performance.now(), ...window.ctxtrailReport.timings }))));
      if (errors.length) throw new Error(file + ': ' + errors.join(' | '));
      paint.push(t.paint); parse.push(t.parse); decode.push(t.decode); draw.push(t.draw);
      await page.close();
    }
    const ms = (xs) => median(xs).toFixed(0) + ' ms';
    console.log(`${path.basename(file)}: first paint ${ms(paint)} (median of ${runs}; min ${Math.min(...paint).toFixed(0)}, ` +
      `max ${Math.max(...paint).toFixed(0)}); JSON.parse ${ms(parse)}, decode ${ms(decode)}, first draw ${ms(draw)}`);
  }
} finally {
  await browser.close();
}
