// xss.mjs DIR... - open every page of built XSS-corpus sites in headless
// Chromium and assert that no payload ran.
//
// The corpus (tests/hostile/inject_xss.py) puts payloads in every field
// and body; each one, if it ever executed, would set window.__xss, set the
// title to PWNED, open a dialog or request /xss-ran. Pages are served over
// http from 127.0.0.1 (not file://) so the Content-Security-Policy's
// 'self' means what it means in production. A raw-HTML site is expected
// to hold live payload markup; the CSP must keep it inert. Prints one
// line per failure and a summary; exit 1 on any.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const require = createRequire(new URL('../package.json', import.meta.url));
const { chromium } = require('playwright-core');

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.xml': 'application/xml' };

function pages(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...pages(p));
    else if (e.name.endsWith('.html')) out.push(p);
  }
  return out.sort();
}

function serve(root, hits) {
  const srv = http.createServer((req, res) => {
    const u = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (u.startsWith('/xss-ran')) hits.push(u);
    let f = path.join(root, path.normalize(u));
    if (!f.startsWith(root)) { res.writeHead(403); return res.end(); }
    if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, 'index.html');
    if (!fs.existsSync(f)) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'content-type': TYPES[path.extname(f)] || 'application/octet-stream' });
    fs.createReadStream(f).pipe(res);
  });
  return new Promise((ok) => srv.listen(0, '127.0.0.1', () => ok(srv)));
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failures = 0, visited = 0, blocked = 0;
for (const dir of process.argv.slice(2)) {
  const root = path.resolve(dir);
  const hits = [];
  const srv = await serve(root, hits);
  const base = `http://127.0.0.1:${srv.address().port}`;
  const ctx = await browser.newContext();
  // Requests leaving the test server would be a payload reaching out.
  await ctx.route((u) => !u.href.startsWith(base), (r) => { hits.push(r.request().url()); r.abort(); });
  // A few pages navigate in turn through the list: opening a fresh tab
  // per page costs more than loading it, and each navigation starts a new
  // window anyway, so no state leaks between pages.
  const queue = pages(root).map((f) => base + '/' + path.relative(root, f).split(path.sep).join('/'));
  const worker = async () => {
    const page = await ctx.newPage();
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) blocked++; });
    for (let url; (url = queue.shift()) !== undefined;) {
      dialogs.length = 0;
      try {
        await page.goto(url, { waitUntil: 'load', timeout: 10000 });
        await page.waitForTimeout(20);
        const st = await page.evaluate(() => ({ xss: window.__xss, title: document.title,
          top: (() => { try { return window.top.__xss; } catch { return undefined; } })() }));
        const bad = [];
        if (st.xss !== undefined || st.top !== undefined) bad.push(`window.__xss = ${st.xss ?? st.top}`);
        if (st.title === 'PWNED') bad.push('title set to PWNED');
        if (dialogs.length) bad.push(`dialog: ${dialogs[0]}`);
        if (page.url() !== url) bad.push(`navigated to ${page.url()}`);
        if (bad.length) { failures++; console.log(`FAIL ${url}: ${bad.join('; ')}`); }
      } catch (e) {
        failures++; console.log(`FAIL ${url}: ${e.message.split('\n')[0]}`);
      }
      visited++;
    }
    await page.close();
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  for (const h of hits) { failures++; console.log(`FAIL ${dir}: payload request ${h}`); }
  await ctx.close();
  srv.close();
}
await browser.close();
console.log(`xss browser: ${visited} pages opened, ${failures} payloads ran, ${blocked} blocked by CSP`);
process.exit(failures ? 1 : 0);
