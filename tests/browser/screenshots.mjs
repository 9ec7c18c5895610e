// Screenshots of ctxtrail's HTML report, as a reader first sees it, for the README:
//   node tests/browser/screenshots.mjs PAGE.html OUT.png [click] ...
// Each page is opened at 1500x900 in headless Chromium; with "click" its first finding is
// clicked first (its goroutines pinned, zoomed onto the block and the cancel).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  for (let i = 0; i < args.length;) {
    const page = args[i++], out = args[i++];
    const click = args[i] === 'click';
    if (click) i++;
    const tab = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    await tab.goto('file://' + path.resolve(page));
    await tab.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
    if (click) {
      await tab.locator('.finding').first().click();
      await tab.waitForTimeout(200);
    }
    await tab.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    await tab.screenshot({ path: out });
    console.log('screenshots: ' + out);
    await tab.close();
  }
} finally {
  await browser.close();
}
