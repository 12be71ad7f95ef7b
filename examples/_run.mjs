import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { startServer } from './browser/serve.mjs';
const s = await startServer({ port: 0, lifetimeMs: 300000 });
const dir = mkdtempSync('/tmp/bt/ud-');
const t0 = Date.now();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage();
page.on('console', m => console.log('console:', m.text()));
page.on('pageerror', e => console.log('pageerror:', e.message));
await page.goto(s.url + process.argv[2]);
await page.waitForFunction(() => ['done','error'].includes(window.efDemo?.phase), null, { timeout: 240000 });
const st = await page.evaluate(() => window.efDemo);
console.log(JSON.stringify({ ...st, losses: st.losses.map(v=>+v.toFixed(3)), accuracies: undefined }, null, 0));
await page.screenshot({ path: '/tmp/bt/shot.png', fullPage: true });
console.log('ms', Date.now() - t0);
await browser.close(); await s.close();
