// Browser tests of the residents' site, run by tests/browser/run.sh.
//
// One `noticeboard serve` (the binary under test, on a free port) serves a
// private copy of the demo site; headless Chromium visits every page kind
// and checks what a resident depends on: the click path from the home page
// to a charter article, search in Chinese, zero axe-core violations for
// WCAG 2.2 AA (light and dark), no console errors, no horizontal scroll at
// 360 px, a clean print rendering. Then the preview itself: drafts carry a
// banner, a saved file reloads open pages, a broken file shows its error in
// the page, bad paths are refused, Ctrl-C stops cleanly.
//
// Each check prints "ok - name" or "not ok - name: why"; the last line is
// "browser: N passed, N failed, N skipped".
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const require = createRequire(new URL('../package.json', import.meta.url));
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const NB = process.env.NB;
const SITE = process.env.SITE;
const SHOTS = process.env.SHOTS;
const PROFILE = process.env.PROFILE;
const AS_OF = '2026-11-25';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let passed = 0, failed = 0, skipped = 0;
const t0 = Date.now();

async function test(name, fn) {
	const start = Date.now();
	try {
		await fn();
		passed++;
		console.log(`ok - ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
	} catch (e) {
		failed++;
		console.log(`not ok - ${name}: ${String(e && e.message || e).split('\n').slice(0, 12).join('\n    ')}`);
	}
}
function assert(cond, msg) {
	if (!cond) throw new Error(msg);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the preview server ----

function startServe() {
	const proc = spawn(NB, ['-s', SITE, 'serve', '--port', '0', '--as-of', AS_OF],
		{ stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NB_LANG: '' } });
	let out = '', err = '';
	proc.stdout.on('data', (d) => { out += d; });
	proc.stderr.on('data', (d) => { err += d; });
	const exited = new Promise((r) => proc.on('exit', (code, sig) => r({ code, sig })));
	const url = new Promise((resolve, reject) => {
		const timer = setInterval(() => {
			// The line is in the site's language (NB_LANG cleared above).
			const m = out.match(/(?:serving |预览地址：)(http:\/\/127\.0\.0\.1:\d+\/)/);
			if (m) { clearInterval(timer); resolve(m[1]); }
		}, 50);
		exited.then(({ code }) => { clearInterval(timer); reject(new Error(`serve exited ${code}: ${err}`)); });
		setTimeout(() => { clearInterval(timer); reject(new Error(`serve did not start: ${err}`)); }, 60000);
	});
	return { proc, url, exited, log: () => err };
}

function rawGet(base, rawPath, method = 'GET') {
	const u = new URL(base);
	return new Promise((resolve, reject) => {
		const req = http.request({ host: u.hostname, port: u.port, path: rawPath, method }, (res) => {
			let body = '';
			res.on('data', (d) => { body += d; });
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
		});
		req.on('error', reject);
		req.end();
	});
}

// ---- the pages ----

const KINDS = [
	['home', '/'],
	['list-meetings', '/meetings/'],
	['list-page-2', '/meetings/page/2/'],
	['list-decisions', '/decisions/'],
	['list-charters', '/charters/'],
	['list-evaluations', '/evaluations/'],
	['list-communities', '/communities/'],
	['list-pages', '/pages/'],
	['community', '/communities/huaiyin/'],
	['meeting', '/meetings/huaiyin-2024-06-coordination/'],
	['decision', '/decisions/huaiyin-2024-elevator-bldg3/'],
	['decision-rejected', '/decisions/huaiyin-2024-gate-parking-fee/'],
	['meeting-upcoming', '/meetings/huaiyin-2026-12-plenary/'],
	['meeting-tasks', '/meetings/huaiyin-2024-09-plenary/'], // task list, attachments, struck text
	['charter', '/charters/huaiyin/v1/'],
	['evaluation', '/evaluations/huaiyin-2024-q4/'],
	['page', '/pages/about/'],
	['search', '/search/?q=%E7%94%B5%E6%A2%AF'],
	['not-found', '/no-such-page/'],
];
// Filter and comparison pages other parts of the theme add, when present.
const OPTIONAL = [
	['filter-year', '/decisions/2024/'],
	['filter-category', '/decisions/category/fire-safety/'],
	['filter-status', '/decisions/status/overdue/'],
	['filter-community', '/meetings/community/huaiyin/'],
	['charter-changes', '/charters/huaiyin/v2/changes/'],
	['evaluation-compare', '/evaluations/compare/'],
	['evaluation-community', '/evaluations/community/huaiyin/'],
];

// A copy of the site under test beside it (content and themes), for a
// build with other settings; returns its folder and site.yaml's text.
function siteCopy(name) {
	const dir = path.join(path.dirname(SITE), name);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir);
	fs.cpSync(path.join(SITE, 'content'), path.join(dir, 'content'), { recursive: true });
	if (fs.existsSync(path.join(SITE, 'themes')))
		fs.cpSync(path.join(SITE, 'themes'), path.join(dir, 'themes'), { recursive: true });
	return [dir, fs.readFileSync(path.join(SITE, 'site.yaml'), 'utf8')];
}

// A plain static server over a built folder, as a host serves a site
// built with a full base_url (serve rebuilds with its own).
async function staticServer(root) {
	const server = http.createServer((req, res) => {
		let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
		if (p.endsWith('/')) p += 'index.html';
		const f = path.join(root, p);
		if (!f.startsWith(root) || !fs.existsSync(f)) { res.writeHead(404); res.end(); return; }
		const type = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
			'.svg': 'image/svg+xml', '.png': 'image/png', '.pdf': 'application/pdf' }[path.extname(f)] || 'application/octet-stream';
		res.writeHead(200, { 'content-type': type });
		res.end(fs.readFileSync(f));
	});
	await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
	return server;
}

async function axe(page) {
	await page.evaluate(axeSource);
	const res = await page.evaluate(async (tags) => {
		const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
		return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
	}, AXE_TAGS);
	return res;
}

async function main() {
	fs.mkdirSync(SHOTS, { recursive: true });
	// A draft document, for the banner check.
	const draftPath = path.join(SITE, 'content/pages/draft-preview.md');
	fs.writeFileSync(draftPath, '---\ntitle: 草稿测试页\ndraft: true\n---\n\n这是一份草稿。The Elevator Maintenance schedule, in English.\n');
	// A decision numbered D-2025-001 whose 6/1/0 vote truncation showed as
	// 85/14/1, and one its votes reject with no `result:` typed and a due
	// date long past: the facts checks below read them.
	fs.writeFileSync(path.join(SITE, 'content/decisions/2025/d-2025-001.md'), '---\ntitle: 关于楼道照明改造的决议\n' +
		'id: D-2025-001\ncommunity: huaiyin\nmeeting: huaiyin-2025-03-plenary\ndate: "2025-03-07"\ncategory: services\n' +
		'votes: {for: 6, against: 1, abstain: 0}\nresponsible: 槐荫物业\ndue: "2025-06-30"\n---\n\n楼道照明改造。\n');
	fs.writeFileSync(path.join(SITE, 'content/decisions/2025/bike-shed.md'), '---\ntitle: 关于拆除自行车棚的提议\n' +
		'id: bike-shed\ncommunity: huaiyin\nmeeting: huaiyin-2025-03-plenary\ndate: "2025-03-07"\ncategory: public-order\n' +
		'votes: {for: 2, against: 4, abstain: 1}\nresponsible: 社区工作站\ndue: "2025-04-30"\n---\n\n拆除自行车棚。\n');

	const cacheDir = path.join(SITE, '.noticeboard-cache');
	const records = () => fs.existsSync(cacheDir)
		? fs.readdirSync(cacheDir).filter((f) => /^(memo|build)-/.test(f)).sort().join(' ') : '';
	const recordsBefore = records();
	const serve = startServe();
	let base;
	try {
		base = await serve.url;
	} catch (e) {
		failed++;
		console.log(`not ok - serve starts: ${e.message}`);
		return;
	}
	passed++;
	console.log(`ok - serve starts at ${base}`);
	const url = (p) => new URL(p, base).href;

	const context = await chromium.launchPersistentContext(PROFILE, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		viewport: { width: 1280, height: 900 },
		locale: 'zh-CN',
	});
	try {
		const page = context.pages()[0] || await context.newPage();
		page.setDefaultTimeout(20000);

		const kinds = [...KINDS];
		for (const [name, p] of OPTIONAL) {
			const r = await rawGet(base, encodeURI(p));
			if (r.status === 200) kinds.push([name, p]);
		}

		for (const [name, p] of kinds) {
			await test(`${name}: loads, no console errors, zero axe violations (light and dark)`, async () => {
				const errors = [];
				const onConsole = (m) => { if (m.type() === 'error') errors.push(m.text()); };
				const onError = (e) => errors.push(String(e));
				const onFailed = (r) => { if (r.status() >= 400 && r.url() !== url(p)) errors.push(`${r.status()} ${r.url()}`); };
				page.on('response', onFailed);
				page.on('console', onConsole);
				page.on('pageerror', onError);
				try {
					await page.setViewportSize({ width: 1280, height: 900 });
					await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
					const resp = await page.goto(url(p), { waitUntil: 'load' });
					const want = name === 'not-found' ? 404 : 200;
					assert(resp.status() === want, `status ${resp.status()}, want ${want}`);
					if (name === 'search')
						await page.waitForSelector('#search-results li', { timeout: 10000 });
					await page.waitForTimeout(100);
					const v = await axe(page);
					assert(!v.length, `axe (light): ${v.join('\n')}`);
					await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
					await page.emulateMedia({ colorScheme: 'dark' });
					const vd = await axe(page);
					assert(!vd.length, `axe (dark): ${vd.join('\n')}`);
					if (name === 'meeting' || name === 'home')
						await page.screenshot({ path: path.join(SHOTS, `${name}-desktop-dark.png`), fullPage: true });
					// The 404 page's own status is reported by Chromium as a failed resource.
					const real = errors.filter((e) => !(name === 'not-found' && /404/.test(e)));
					assert(!real.length, `console errors: ${real.join('; ')}`);
				} finally {
					page.off('console', onConsole);
					page.off('pageerror', onError);
					page.off('response', onFailed);
				}
			});
			await test(`${name}: no horizontal scroll at 360 px`, async () => {
				await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
				await page.setViewportSize({ width: 360, height: 800 });
				await page.goto(url(p), { waitUntil: 'load' });
				if (name === 'search')
					await page.waitForSelector('#search-results li', { timeout: 10000 });
				const w = await page.evaluate(() => document.documentElement.scrollWidth);
				await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
				assert(w <= 360, `scrollWidth ${w} > 360`);
			});
			// Text at 200 % (WCAG 1.4.4): the root font size doubled, as a
			// browser's text-size setting does; nothing may scroll sideways,
			// the header's search box included.
			await test(`${name}: no horizontal scroll at 360 px with text at 200 %`, async () => {
				await page.setViewportSize({ width: 360, height: 800 });
				await page.goto(url(p), { waitUntil: 'load' });
				const r = await page.evaluate(() => {
					document.documentElement.style.setProperty('font-size', '200%', 'important');
					const de = document.documentElement;
					const wide = [...document.querySelectorAll('body *')]
						.filter((e) => e.getBoundingClientRect().right > de.clientWidth + 1 &&
							!e.closest('.table-wrap'))
						.slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
					return { sw: de.scrollWidth, cw: de.clientWidth, wide };
				});
				if (name === 'home' || name === 'evaluation')
					await page.screenshot({ path: path.join(SHOTS, `${name}-phone-200.png`), fullPage: true });
				assert(r.sw <= r.cw, `scrollWidth ${r.sw} > clientWidth ${r.cw}: ${r.wide.join(', ')}`);
			});
		}
		await page.setViewportSize({ width: 360, height: 800 });
		for (const p of ['/evaluations/huaiyin-2024-q4/', '/communities/huaiyin/', '/evaluations/compare/']) {
			await test(`${p}: chart text at least 14 px on a 360 px phone`, async () => {
				await page.goto(url(p), { waitUntil: 'load' });
				const sizes = await page.evaluate(() => [...document.querySelectorAll('svg.chart text')]
					.map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a));
				assert(sizes.length > 0, 'no chart text');
				const small = Math.min(...sizes);
				assert(small >= 14, `smallest chart text ${small.toFixed(1)} px`);
			});
		}
		await test('a wide table shows that it scrolls (360 px)', async () => {
			await page.goto(url('/evaluations/compare/'), { waitUntil: 'load' });
			const r = await page.evaluate(() => {
				const w = document.querySelector('.table-wrap');
				const hint = w && w.previousElementSibling;
				return {
					overflows: w && w.scrollWidth > w.clientWidth,
					marked: w && w.classList.contains('is-scrollable'),
					focusable: w && w.tabIndex === 0,
					hint: hint && hint.classList.contains('table-scroll-hint') &&
						hint.getBoundingClientRect().height > 0 ? hint.textContent : '',
				};
			});
			assert(r.overflows, 'the comparison table should be wider than a phone');
			assert(r.marked && r.hint, `no visible hint that the table scrolls (${JSON.stringify(r)})`);
			assert(r.focusable, 'a scrolling table can be scrolled from the keyboard (tabindex=0)');
			await page.screenshot({ path: path.join(SHOTS, 'evaluation-compare-phone-table.png') });
		});
		await test('the contact is in the footer and prints', async () => {
			await page.goto(url('/meetings/huaiyin-2024-06-coordination/'), { waitUntil: 'load' });
			await page.emulateMedia({ media: 'print' });
			const r = await page.evaluate(() => {
				const c = document.querySelector('.site-footer .footer-contact');
				return c ? { shown: c.getBoundingClientRect().height > 0, text: c.textContent } : null;
			});
			await page.emulateMedia({ media: 'screen' });
			assert(r && r.shown, 'footer contact missing or hidden in print');
			assert(/0755-0000 0000/.test(r.text), `contact text: ${r && r.text}`);
		});
		await page.setViewportSize({ width: 1280, height: 900 });

		await test('resident path: home -> community -> meeting -> decision -> cited charter article, by clicking', async () => {
			await page.goto(url('/'), { waitUntil: 'load' });
			await Promise.all([page.waitForURL(/\/communities\/huaiyin\/$/),
				page.locator('main a[href$="/communities/huaiyin/"]').first().click()]);
			await Promise.all([page.waitForURL(/\/meetings\/huaiyin-2024-06-coordination\/$/),
				page.locator('main a[href$="/meetings/huaiyin-2024-06-coordination/"]').first().click()]);
			await Promise.all([page.waitForURL(/\/decisions\/huaiyin-2024-elevator-bldg3\/$/),
				page.locator('main a[href$="/decisions/huaiyin-2024-elevator-bldg3/"]').first().click()]);
			await Promise.all([page.waitForURL(/\/charters\/huaiyin\/v1\/#/),
				page.locator('main a', { hasText: '第三条' }).first().click()]);
			const h = page.locator('[id="第三条"]');
			await h.waitFor();
			assert(/第三条/.test(await h.textContent()), 'the article heading is not 第三条');
			const inView = await h.evaluate((el) => {
				const r = el.getBoundingClientRect();
				return r.top >= -1 && r.top < window.innerHeight;
			});
			assert(inView, 'the cited article is not scrolled into view');
		});

		await test('search: a Chinese phrase from the minutes finds the meeting and opens it', async () => {
			await page.goto(url('/search/'), { waitUntil: 'load' });
			await page.locator('#search-q').pressSequentially('腿脚不便', { delay: 40 });
			const hit = page.locator('#search-results a[href$="/meetings/huaiyin-2024-06-coordination/"]');
			await hit.waitFor({ timeout: 10000 });
			const status = await page.locator('#search-status').textContent();
			assert(/1/.test(status), `status says: ${status}`);
			const marks = await page.locator('#search-results mark').allTextContents();
			assert(marks.includes('腿脚不便'), `highlighted: ${marks.join(',')}`);
			const li = page.locator('#search-results li').first();
			const meta = await li.locator('.result-meta').textContent();
			assert(/会议纪要/.test(meta) && /槐荫社区/.test(meta) && /2024年6月/.test(meta), `meta: ${meta}`);
			await Promise.all([page.waitForURL(/\/meetings\/huaiyin-2024-06-coordination\/$/), hit.click()]);
		});

		await test('search: header form submits to the search page; English words and nonsense', async () => {
			await page.goto(url('/'), { waitUntil: 'load' });
			await page.fill('#site-search-q', '加装电梯');
			await Promise.all([page.waitForURL(/\/search\/\?q=/), page.press('#site-search-q', 'Enter')]);
			await page.waitForSelector('#search-results li');
			const titles = await page.locator('#search-results .result-title').allTextContents();
			assert(titles.some((t) => /加装电梯/.test(t)), `titles: ${titles.join(' | ')}`);
			await page.fill('#search-q', '');
			await page.locator('#search-q').pressSequentially('齉齉齉', { delay: 20 });
			await page.waitForFunction(() => /齉/.test(document.getElementById('search-status').textContent));
			assert(await page.locator('#search-results li').count() === 0, 'nonsense found results');
		});

		await test('search: past the first 20 results, more can be shown, each once', async () => {
			// 社区 is in nearly every document: only the first 20 were ever
			// shown ("找到 N 条结果，显示前 20 条"), the rest out of reach.
			await page.goto(url('/search/?q=' + encodeURIComponent('社区')), { waitUntil: 'load' });
			await page.waitForSelector('#search-results li');
			const status = await page.locator('#search-status').textContent();
			const m = status.match(/找到 (\d+) 条结果，显示前 20 条/);
			assert(m && +m[1] > 20 && +m[1] <= 60, `status: ${status}`);
			const total = +m[1];
			for (let shown = 20; shown < total;) {
				const more = page.locator('#search-more');
				assert(await more.isVisible(), `${shown} of ${total} shown and no way to the rest`);
				await more.click();
				const next = Math.min(shown + 20, total);
				await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length === n, next);
				shown = next;
				const st = await page.locator('#search-status').textContent();
				assert(st === (shown < total ? `找到 ${total} 条结果，显示前 ${shown} 条` : `找到 ${total} 条结果`), `status: ${st}`);
			}
			assert(!await page.locator('#search-more').isVisible(), 'the button stays when all are shown');
			const hrefs = await page.locator('#search-results .result-title a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
			assert(hrefs.length === total && new Set(hrefs).size === total, `${new Set(hrefs).size} distinct of ${hrefs.length}`);
		});

		await test('search: English words, case-insensitive, with the word being typed as a prefix', async () => {
			await page.goto(url('/search/?q=MAINTENANCE'), { waitUntil: 'load' });
			await page.waitForSelector('#search-results a[href$="/pages/draft-preview/"]');
			await page.fill('#search-q', '');
			await page.locator('#search-q').pressSequentially('elevat', { delay: 20 });
			await page.waitForFunction(() => [...document.querySelectorAll('#search-results mark')]
				.some((m) => m.textContent === 'Elevat'));
			assert(await page.locator('#search-results a[href$="/pages/draft-preview/"]').count() === 1, 'prefix did not find the page');
			await page.fill('#search-q', 'elevator zzzz ');
			await page.waitForFunction(() => /zzzz/.test(document.getElementById('search-status').textContent));
			assert(await page.locator('#search-results li').count() === 0, 'all words must match');
		});

		await test('facts: 6/1/0 reads 86 % / 14 % / 0 % in the table, the bar and its text', async () => {
			await page.goto(url('/decisions/D-2025-001/'), { waitUntil: 'load' });
			const cells = await page.locator('.vote-table tbody tr').evaluateAll((rows) =>
				rows.map((r) => r.querySelectorAll('td')[1].textContent.trim()));
			assert(cells.join('/') === '86%/14%/0%', `table: ${cells.join('/')}`);
			const bar = await page.locator('svg.votebar').evaluate((svg) => [
				svg.querySelector('.vb-for').getAttribute('width'),
				svg.querySelector('.vb-against-fill').getAttribute('width'),
				svg.querySelector('.vb-abstain').getAttribute('width')].join('/'));
			assert(bar === '86/14/0', `bar: ${bar}`);
			const label = await page.locator('svg.votebar').getAttribute('aria-label');
			assert(/86%/.test(label) && /14%/.test(label) && /0（0%）/.test(label) && !/1%/.test(label.replace('14%', '')), `aria-label: ${label}`);
			assert(await page.getByText('文号：D-2025-001').isVisible(), 'the document number is not shown');
		});

		await test('facts: a decision its votes reject is not overdue; result and rule are two facts', async () => {
			for (const p of ['/decisions/status/overdue/', '/decisions/status/open/']) {
				await page.goto(url(p), { waitUntil: 'load' });
				const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
				assert(!hrefs.some((h) => /bike-shed|gate-parking-fee|parking-lines/.test(h)), `${p} lists a rejected or deferred decision`);
			}
			await page.goto(url('/decisions/bike-shed/'), { waitUntil: 'load' });
			const facts = await page.locator('dl.facts').innerText();
			assert(/表决结果\s*未通过/.test(facts) && /表决规则\s*过半数/.test(facts), `facts: ${facts}`);
			assert(!/逾期|执行中|状态/.test(facts), `a rejected decision has a status: ${facts}`);
			assert(await page.locator('.tag:empty').count() === 0, 'an empty tag');
			await page.goto(url('/decisions/'), { waitUntil: 'load' });
			const item = page.locator('li.item', { has: page.locator('a[href$="/decisions/bike-shed/"]') });
			assert(await item.locator('.tag-rejected').isVisible(), 'the list does not tag it rejected');
		});

		await test('facts: a charter\'s list of versions numbers none against its version', async () => {
			// The list ran oldest first in a reversed <ol>: "2. 第 1 版", "1. 第 2 版".
			for (const p of ['/charters/huaiyin/v2/', '/charters/huaiyin/v1/', '/charters/huaiyin/v2/changes/']) {
				await page.goto(url(p), { waitUntil: 'load' });
				const rows = await page.locator('ol.versions').evaluate((ol) => [...ol.children].map((li, i) => ({
					shown: getComputedStyle(li).display === 'list-item' && getComputedStyle(li).listStyleType !== 'none',
					ordinal: ol.reversed ? ol.children.length - i : ol.start + i,
					text: li.innerText })));
				assert(rows.length === 2, `${p}: ${rows.length} versions listed`);
				for (const r of rows) {
					const v = r.text.match(/第\s*(\d+)\s*版/);
					assert(v, `${p}: no version in "${r.text}"`);
					assert(!r.shown || r.ordinal === +v[1], `${p}: "${r.ordinal}." beside "${r.text}"`);
				}
			}
		});

		await test('facts: list items carry number, result, responsible, due and overdue since', async () => {
			await page.goto(url('/decisions/'), { waitUntil: 'load' });
			const item = page.locator('li.item', { has: page.locator('a[href$="/decisions/D-2025-001/"]') });
			const text = await item.innerText();
			for (const want of ['D-2025-001', '表决结果：通过', '责任人：槐荫物业', '完成期限：2025年6月30日', '自2025年7月1日起逾期'])
				assert(text.includes(want), `item lacks ${want}: ${text}`);
		});

		await test('facts: a meeting page opens with its summary, then the minutes', async () => {
			await page.goto(url('/meetings/huaiyin-2025-03-plenary/'), { waitUntil: 'load' });
			const y = async (sel) => (await page.locator(sel).boundingBox()).y;
			assert(await y('#sec-summary') < await y('#sec-minutes'), 'the summary is not above the minutes');
			const summary = await page.locator('.meeting-summary').innerText();
			for (const want of ['自治会全体会议', '19:00–21:15', '槐荫社区党群服务中心二楼会议室', '实到 13人 / 应到 14人', 'D-2025-001', '赞成 6，反对 1，弃权 0', '未通过'])
				assert(summary.includes(want), `summary lacks ${want}: ${summary}`);
		});

		await test('facts: the home page lists the upcoming meetings with time and place', async () => {
			await page.goto(url('/'), { waitUntil: 'load' });
			const sec = page.locator('section.home-upcoming');
			assert(await sec.isVisible(), 'no upcoming meetings on the home page');
			const first = sec.locator('li.item').first();
			const text = await first.innerText();
			assert(/即将召开/.test(text) && /19:00–21:00/.test(text) && /党群服务中心/.test(text), `first upcoming: ${text}`);
			await Promise.all([page.waitForURL(/\/meetings\/huaiyin-2026-12-plenary\/$/), first.locator('a').first().click()]);
			assert(!/纪要待审定/.test(await page.locator('main').innerText()), 'an upcoming meeting awaits minutes');
		});

		await test('facts: search finds a decision by its document number, and by part of it', async () => {
			for (const q of ['D-2025-001', 'd-2025-001', '2025-001']) {
				await page.goto(url('/search/?q=' + encodeURIComponent(q)), { waitUntil: 'load' });
				await page.waitForSelector('#search-results li', { timeout: 10000 });
				const first = await page.locator('#search-results li a').first().getAttribute('href');
				assert(/\/decisions\/D-2025-001\/$/.test(first), `${q}: first result ${first}`);
			}
		});

		await test('search: the page explains browsing without JavaScript', async () => {
			const r = await rawGet(base, '/search/?q=x');
			assert(/<noscript>/.test(r.body) && /href="\/meetings\/"/.test(r.body), 'no noscript fallback with links');
		});

		await test('print: a meeting prints without navigation, with its minutes and link URLs', async () => {
			await page.goto(url('/meetings/huaiyin-2024-06-coordination/'), { waitUntil: 'load' });
			await page.emulateMedia({ media: 'print', colorScheme: 'light' });
			try {
				for (const sel of ['.site-nav', '.breadcrumbs', '.site-search', '.skip-link']) {
					const n = await page.locator(sel).count();
					for (let i = 0; i < n; i++)
						assert(!(await page.locator(sel).nth(i).isVisible()), `${sel} is visible in print`);
				}
				assert(await page.getByText('腿脚不便', { exact: false }).first().isVisible(), 'minutes text hidden in print');
				const table = page.locator('main table').first();
				assert(await table.isVisible(), 'minutes table hidden in print');
				const avoid = await table.evaluate((el) => getComputedStyle(el).breakInside);
				assert(avoid === 'avoid', `table break-inside: ${avoid}`);
				const after = await page.locator('main a[href^="/"]').first()
					.evaluate((a) => getComputedStyle(a, '::after').content);
				assert(/\//.test(after), `link URL not shown in print: ${after}`);
				await page.pdf({ path: path.join(SHOTS, 'meeting-print.pdf'), format: 'A4', printBackground: false });
				await page.screenshot({ path: path.join(SHOTS, 'meeting-print.png'), fullPage: true });
			} finally {
				await page.emulateMedia({ media: 'screen' });
			}
		});

		await test('attachments: a meeting lists its sign-in sheet and photo, and the links open them', async () => {
			await page.goto(url('/meetings/huaiyin-2024-09-plenary/'), { waitUntil: 'load' });
			const item = page.locator('.attachment-list li', { hasText: '会议签到表' });
			assert(await item.isVisible(), 'the attachment list is not shown');
			assert(/PDF 文件，\d+ KB/.test(await item.innerText()), `type and size: ${await item.innerText()}`);
			const img = page.locator('.prose img[src="huaiyin-2024-09-photo.png"]');
			assert(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the photo does not load');
			const [resp] = await Promise.all([
				page.waitForResponse((r) => r.url().endsWith('/huaiyin-2024-09-signin.pdf')),
				page.evaluate(() => fetch(document.querySelector('.attachment-list a').href)),
			]);
			assert(resp.status() === 200 && /pdf/.test(resp.headers()['content-type'] || ''),
				`the sheet's link: ${resp.status()} ${resp.headers()['content-type']}`);
			for (const sel of ['.notice-signature', '.notice-qr', '.notice-address'])
				assert(!(await page.locator(sel).first().isVisible()), `${sel} shows on screen`);
			assert(await page.locator('.notice-period').isVisible(), 'the notice period is not shown on screen');
		});

		await test('history: a corrected decision says when and why, on screen and in print', async () => {
			await page.goto(url('/decisions/tianbei-2024-mediation-room/'), { waitUntil: 'load' });
			const note = page.locator('.doc-change-note');
			for (const media of ['screen', 'print']) {
				await page.emulateMedia({ media });
				assert(await note.isVisible(), `the correction note is not visible (${media})`);
				const text = (await note.innerText()).replace(/\s+/g, '');
				assert(text.startsWith('最近更正：2025年7月12日：更正上半年调解数据'), `note (${media}): ${text}`);
			}
			await page.emulateMedia({ media: 'screen' });
		});

		await test('print: a meeting prints as a notice (14 pt, 落款, 公示期, page numbers, full addresses, a QR code that scans)', async () => {
			// The demo's base_url is "/", which has no address to encode: a
			// copy built with a full one, served as it would be.
			const [abs, yaml] = siteCopy('abs');
			fs.writeFileSync(path.join(abs, 'site.yaml'),
				yaml.replace(/^base_url:.*$/m, 'base_url: "https://guiyuan.example.org/"'));
			const r = spawnSync(NB, ['-s', abs, 'build', '--as-of', AS_OF], { encoding: 'utf8' });
			assert(r.status === 0, `build with a full base_url: ${r.stderr}`);
			const server = await staticServer(path.join(abs, 'public'));
			const pageUrl = 'https://guiyuan.example.org/meetings/huaiyin-2024-09-plenary/';
			try {
				await page.goto(`http://127.0.0.1:${server.address().port}/meetings/huaiyin-2024-09-plenary/`, { waitUntil: 'load' });
				await page.emulateMedia({ media: 'print', colorScheme: 'light' });
				const px = await page.locator('.prose p').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
				assert(px >= 14 * 96 / 72 - 0.01, `body text is ${px} px in print, under 14 pt`);
				const sig = page.locator('.notice-signature');
				assert(await sig.isVisible(), '落款 not printed');
				assert((await sig.innerText()).replace(/\s+/g, '') === '槐荫社区自治协调委员会2024年9月20日', `落款: ${await sig.innerText()}`);
				assert(await page.locator('.notice-qr svg').isVisible(), 'QR code not printed');
				const after = await page.locator('main .attachment-list a').first()
					.evaluate((a) => getComputedStyle(a, '::after').content);
				assert(after.includes(`${pageUrl}huaiyin-2024-09-signin.pdf`), `printed link is not a full address: ${after}`);
				const pdf = path.join(SHOTS, 'meeting-notice.pdf');
				await page.pdf({ path: pdf, format: 'A4', printBackground: false });
				const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
				assert(text.status === 0, `pdftotext: ${text.stderr}`);
				const pages = text.stdout.split('\f').filter((t) => t.trim());
				assert(pages.length >= 2, `${pages.length} pages`);
				pages.forEach((t, i) => assert(t.includes(`第 ${i + 1} 页，共 ${pages.length} 页`), `page ${i + 1} has no page number: ${t.slice(-200)}`));
				const last = pages[pages.length - 1].replace(/[ \t]+/g, '');
				assert(last.includes('公示期：2024年9月20日至2024年9月26日'), `no disclosure period on the last page: ${last.slice(-600)}`);
				assert(/如有异议：请于公示期内/.test(last), 'no objections line');
				// The QR code, decoded from the printed page as a phone would.
				const png = path.join(SHOTS, 'meeting-notice-last');
				const ppm = spawnSync('pdftoppm', ['-r', '150', '-png', '-singlefile', '-f', String(pages.length),
					'-l', String(pages.length), pdf, png], { encoding: 'utf8' });
				assert(ppm.status === 0, `pdftoppm: ${ppm.stderr}`);
				const z = spawnSync('zbarimg', ['-q', '--raw', `${png}.png`], { encoding: 'utf8' });
				assert(z.status === 0 && z.stdout.trim() === pageUrl, `QR code decodes to "${z.stdout.trim()}" (${z.status}), not ${pageUrl}`);
			} finally {
				await page.emulateMedia({ media: 'screen' });
				server.close();
				fs.rmSync(abs, { recursive: true, force: true });
			}
		});

		// A district of fifteen communities (the demo's three and twelve
		// more, in two streets, each with an evaluation; page size 6):
		// past a dozen, the community filter is one link to a page of
		// them all under their streets, the home page names them under
		// their streets, and the comparison is paged. Each such page is
		// axe-clean and fits a 360 px phone.
		await test('a district of many communities: filters, home page and comparison stay short', async () => {
			const [many, yaml] = siteCopy('many');
			fs.writeFileSync(path.join(many, 'site.yaml'), yaml);
			const members = ['甲', '乙', '丙', '丁', '戊', '己', '庚'];
			for (let i = 0; i < 12; i++) {
				const id = `many-${String(i).padStart(2, '0')}`, name = `第${i + 1}社区`;
				const street = i % 2 ? '笋岗街道' : '桂园街道';
				fs.writeFileSync(path.join(many, `content/communities/${id}.md`),
					`---\ntitle: "${name}"\nname: "${name}"\nstreet: "${street}"\ntype: "老旧住宅区"\n` +
					'platform: "residents-committee"\ncommittee:\n' +
					members.map((m, k) => `  - {name: "${m}${i}", role: "${k ? '委员' : '主任'}"}\n`).join('') +
					'---\n\n社区简介。\n');
				fs.writeFileSync(path.join(many, `content/evaluations/2025/${id}-2025-q1.md`),
					`---\ntitle: "${name}2025年第一季度评估"\nid: "${id}-2025-q1"\ncommunity: "${id}"\n` +
					`period: "2025-Q1"\ninternal: {informed: 0.${50 + i}, participation: 0.30, satisfaction: 0.80}\n` +
					'---\n\n评估意见。\n');
			}
			const r = spawnSync(NB, ['-s', many, 'build', '--as-of', AS_OF], { encoding: 'utf8' });
			assert(r.status === 0, `build: ${r.stderr}`);
			const server = await staticServer(path.join(many, 'public'));
			const at = (p) => `http://127.0.0.1:${server.address().port}${p}`;
			const group = (title) => page.locator('.filters .filter-group', { has: page.locator('h3', { hasText: title }) }).locator('a');
			try {
				await page.setViewportSize({ width: 1280, height: 900 });
				await page.goto(at('/evaluations/'), { waitUntil: 'load' });
				let links = group('按社区');
				assert(await links.count() === 1, `the list names ${await links.count()} communities`);
				assert(await links.first().getAttribute('href') === '/evaluations/community/', 'no link to them all');
				assert((await links.first().innerText()).replace(/\s+/g, '') === '查看全部15个', await links.first().innerText());
				await page.goto(at('/evaluations/community/many-03/'), { waitUntil: 'load' });
				links = group('按社区');
				assert(await links.count() === 2, `a community's page shows ${await links.count()} links`);
				assert(await links.first().getAttribute('aria-current') === 'page', 'its own community is not marked');
				assert((await links.first().innerText()).startsWith('第4社区'), await links.first().innerText());
				await page.goto(at('/evaluations/community/'), { waitUntil: 'load' });
				const heads = await page.locator('main h2').allInnerTexts();
				assert(heads.join('|') === '桂园街道|笋岗街道', `streets: ${heads.join('|')}`);
				assert(await page.locator('main .filter-index a').count() === 15, 'not every community listed');
				await page.goto(at('/'), { waitUntil: 'load' });
				const home = page.locator('section[aria-labelledby="home-communities"]');
				assert(await home.locator('.card').count() === 0, 'community cards on the home page');
				assert(await home.locator('h3').count() === 2 && await home.locator('a').count() === 15,
					`home: ${await home.locator('h3').count()} streets, ${await home.locator('a').count()} links`);
				await page.goto(at('/evaluations/compare/page/3/'), { waitUntil: 'load' });
				assert(await page.locator('.compare-table tbody tr').count() === 3, 'page 3 of the comparison');
				assert((await page.locator('.pagination-label').innerText()).includes('第 3 页，共 3 页'), 'no page label');
				for (const p of ['/', '/evaluations/', '/evaluations/community/', '/evaluations/community/many-03/',
					'/evaluations/compare/', '/evaluations/compare/page/3/']) {
					await page.setViewportSize({ width: 1280, height: 900 });
					await page.goto(at(p), { waitUntil: 'load' });
					const v = await axe(page);
					assert(!v.length, `${p}: axe: ${v.join('\n')}`);
					await page.setViewportSize({ width: 360, height: 800 });
					await page.goto(at(p), { waitUntil: 'load' });
					const w = await page.evaluate(() => document.documentElement.scrollWidth);
					assert(w <= 360, `${p}: scrollWidth ${w} > 360`);
				}
				await page.screenshot({ path: path.join(SHOTS, 'many-compare-phone.png'), fullPage: true });
			} finally {
				server.close();
				fs.rmSync(many, { recursive: true, force: true });
			}
		});

		await test('serve: drafts are shown with a visible draft banner', async () => {
			await page.goto(url('/pages/draft-preview/'), { waitUntil: 'load' });
			const b = page.locator('.banner-draft');
			assert(await b.isVisible(), 'no draft banner');
			assert(/草稿/.test(await b.textContent()), 'banner does not say draft');
		});

		await test('serve: content types, 404, GET/HEAD only, path traversal and %00 refused', async () => {
			const types = { '/': 'text/html', '/css/style.css': 'text/css', '/js/site.js': 'text/javascript',
				'/search/index.json': 'application/json', '/__noticeboard/reload.js': 'text/javascript' };
			for (const [p, t] of Object.entries(types)) {
				const r = await rawGet(base, p);
				assert(r.status === 200 && r.headers['content-type'].startsWith(t), `${p}: ${r.status} ${r.headers['content-type']}`);
			}
			const nf = await rawGet(base, '/nope.css');
			assert(nf.status === 404, `missing file: ${nf.status}`);
			for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/css/..%2f..%2f..%2fetc%2fpasswd', '/%252e%252e/etc/passwd']) {
				const r = await rawGet(base, p);
				assert(r.status === 400 || r.status === 404, `${p}: ${r.status}`);
				assert(!/root:/.test(r.body), `${p} leaked a file`);
			}
			// An encoded NUL used to cut the path short and serve the file
			// before it (index.html for /index.html%00.png).
			for (const p of ['/index.html%00.png', '/css/style.css%00', '/%00', '/pages/%00/', '/index.html%2500']) {
				const r = await rawGet(base, p);
				assert(r.status === 400, `${p}: ${r.status}, not refused`);
			}
			const post = await rawGet(base, '/', 'POST');
			assert(post.status === 405 && /GET/.test(post.headers.allow || ''), `POST: ${post.status}`);
			const head = await rawGet(base, '/', 'HEAD');
			assert(head.status === 200 && head.body === '', `HEAD: ${head.status}`);
		});

		const minutes = path.join(SITE, 'content/meetings/2024/huaiyin-2024-06-coordination.md');
		const original = fs.readFileSync(minutes, 'utf8');
		await test('serve: saving a file rebuilds and reloads the open page', async () => {
			await page.goto(url('/meetings/huaiyin-2024-06-coordination/'), { waitUntil: 'load' });
			await page.evaluate(() => { window.__notReloaded = true; });
			await sleep(300);
			fs.writeFileSync(minutes, original.replace('冯立新（6楼）说', '冯立新（6楼）补充说'));
			await page.waitForFunction(() => !window.__notReloaded && /补充说/.test(document.body.textContent), null, { timeout: 20000 });
		});

		await test('serve: a broken file shows its error in the page (site language, offending line), and fixing it recovers', async () => {
			await page.goto(url('/meetings/huaiyin-2024-06-coordination/'), { waitUntil: 'load' });
			fs.writeFileSync(minutes, original.replace('status: "approved"', 'status: [approved'));
			// The demo site is zh-CN: the page speaks Chinese and shows the line.
			await page.waitForFunction(() => /构建失败/.test(document.body.textContent), null, { timeout: 20000 });
			const text = await page.locator('main').textContent();
			assert(/huaiyin-2024-06-coordination\.md:\d+:\d+/.test(text), `no file:line:col in: ${text.slice(0, 300)}`);
			assert(/提示：/.test(text), 'no hint in the error page');
			assert(await page.locator('html[lang="zh-CN"]').count() === 1, 'the error page is not marked zh-CN');
			const src = await page.locator('.nb-src').first().textContent();
			assert(/status: \[approved/.test(src), `the offending line is not shown: ${src}`);
			await page.screenshot({ path: path.join(SHOTS, 'serve-error-desktop.png') });
			const other = await rawGet(base, '/decisions/');
			assert(other.status === 500 && /构建失败/.test(other.body), 'other HTML URLs do not show the error');
			const css = await rawGet(base, '/css/style.css');
			assert(css.status === 200, 'assets are not served during the error');
			fs.writeFileSync(minutes, original);
			await page.waitForFunction(() => !/构建失败/.test(document.body.textContent) &&
				/腿脚不便/.test(document.body.textContent), null, { timeout: 20000 });
			assert(/错误：/.test(serve.log()), 'the terminal did not print the error');
		});
	} finally {
		await context.close();
	}

	await test('language switch: `alternates` adds a header link with hreflang; a bad one is an error at its line', async () => {
		const [alt, yaml] = siteCopy('alt');
		fs.writeFileSync(path.join(alt, 'site.yaml'), yaml + '\nalternates:\n  en: /en/\n');
		let r = spawnSync(NB, ['-s', alt, 'build', '--as-of', AS_OF], { encoding: 'utf8' });
		assert(r.status === 0, `build with alternates: ${r.stderr}`);
		const html = fs.readFileSync(path.join(alt, 'public/meetings/index.html'), 'utf8');
		assert(/<a class="lang-switch" href="\/en\/" hreflang="en" lang="en">English<\/a>/.test(html), 'no language switch link');
		fs.writeFileSync(path.join(alt, 'site.yaml'), yaml + '\nalternates:\n  fr: /fr/\n');
		r = spawnSync(NB, ['-s', alt, 'check'], { encoding: 'utf8', env: { ...process.env, NB_LANG: 'en' } });
		assert(r.status === 1 && /site\.yaml:\d+:\d+: error: unsupported language `fr`/.test(r.stderr) && /hint:/.test(r.stderr),
			`bad alternates: ${r.status} ${r.stderr}`);
		fs.rmSync(alt, { recursive: true, force: true });
	});

	await test('serve: Ctrl-C stops cleanly (exit 0, temporary folder and its cache records removed)', async () => {
		serve.proc.kill('SIGINT');
		const { code, sig } = await Promise.race([serve.exited, sleep(20000).then(() => ({ code: 'timeout' }))]);
		assert(code === 0, `exit ${code} ${sig || ''}: ${serve.log().slice(-2000)}`);
		assert(!fs.existsSync(path.join(SITE, 'public')), 'serve wrote into the site folder');
		// Its no-op record and page memo went with its temporary folder.
		assert(records() === recordsBefore, `serve left cache records: ${records()} (before: ${recordsBefore})`);
	});
}

try {
	await main();
} catch (e) {
	failed++;
	console.log(`not ok - the browser suite crashed: ${e && e.stack || e}`);
}
console.log(`browser suite took ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${SHOTS}`);
console.log(`browser: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
