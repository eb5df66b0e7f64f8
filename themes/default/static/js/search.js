/* noticeboard search: results as the resident types, from the static index
 * that generator/search.c writes under /search/ (format described there).
 *
 * The query is tokenized exactly as the index was: Chinese runs into
 * character bigrams (one character alone is looked up as itself), other
 * text into lowercased words (the word still being typed, from three
 * letters on, is a prefix query). Only the shards holding those
 * tokens are fetched; documents must match every token; the top results'
 * metadata chunks are fetched for titles and snippets. Without this script
 * the form still submits and the page explains how to browse instead. */
(function () {
	"use strict";
	var form = document.getElementById("search-form");
	if (!form || !window.fetch || !window.TextEncoder || !window.Promise) return;
	var input = document.getElementById("search-q");
	var status = document.getElementById("search-status");
	var list = document.getElementById("search-results");
	var more = document.getElementById("search-more") || { hidden: true };
	var base = form.getAttribute("data-index");
	var MAX = 20, DEBOUNCE = 180;
	var manifest = null, shards = {}, chunks = {}, seq = 0, timer = 0;
	var shownRes = null, shownQ = "", shownN = 0;
	var encoder = new TextEncoder();

	function text(name, vars) {
		var s = form.getAttribute("data-" + name) || "";
		for (var k in vars) s = s.split("{" + k + "}").join(String(vars[k]));
		return s;
	}
	function getJSON(url) {
		return fetch(url).then(function (r) {
			if (!r.ok) throw new Error(url + ": " + r.status);
			return r.json();
		});
	}
	function cached(cache, url) {
		if (!cache[url]) cache[url] = getJSON(url).catch(function (e) { delete cache[url]; throw e; });
		return cache[url];
	}

	function isCJK(c) {
		return (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3040 && c <= 0x30FF) ||
			(c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
			(c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
			(c >= 0x20000 && c <= 0x2FFFF);
	}
	function fold(c) {
		if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
		if (c >= 65 && c <= 90) c += 32;
		return c;
	}
	function isWord(c) {
		if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
		if (c < 0xC0 || c === 0xD7 || c === 0xF7) return false;
		if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
			(c >= 0xFE00 && c <= 0xFFFF) || isCJK(c)) return false;
		return true;
	}
	function foldString(s) {
		var out = "";
		for (var ch of s) out += String.fromCodePoint(fold(ch.codePointAt(0)));
		return out;
	}

	/* Terms to look up, and the phrases to highlight. */
	function parse(q) {
		var terms = [], phrases = [], run = [], word = "";
		var open = !/\s$/.test(q);
		function endRun() {
			if (run.length === 1) terms.push({ token: run[0], prefix: false });
			for (var i = 1; i < run.length; i++) terms.push({ token: run[i - 1] + run[i], prefix: false });
			if (run.length) phrases.push(run.join(""));
			run = [];
		}
		function endWord(last) {
			if (!word) return;
			var n = Array.from(word).length;
			terms.push({ token: word, prefix: last && open && n >= 3 });
			phrases.push(word);
			word = "";
		}
		var chars = Array.from(q);
		for (var i = 0; i < chars.length; i++) {
			var c = fold(chars[i].codePointAt(0)), s = String.fromCodePoint(c);
			if (isCJK(c)) { endWord(false); run.push(s); continue; }
			endRun();
			if (isWord(c)) word += s; else endWord(false);
		}
		endRun();
		endWord(true);
		return { terms: terms, phrases: phrases };
	}

	function shardOf(token) {
		var cps = Array.from(token);
		var key = isCJK(cps[0].codePointAt(0)) ? token : cps.slice(0, 3).join("");
		var h = 0x811c9dc5, bytes = encoder.encode(key);
		for (var i = 0; i < bytes.length; i++) {
			h ^= bytes[i];
			h = Math.imul(h, 16777619) >>> 0;
		}
		return h & (manifest.shards - 1);
	}

	/* doc id -> score for one term. */
	function lookup(term) {
		return cached(shards, base + "t/" + shardOf(term.token) + ".json").then(function (shard) {
			var scores = new Map();
			function add(post) {
				for (var i = 0; i + 1 < post.length; i += 2)
					scores.set(post[i], Math.max(scores.get(post[i]) || 0, post[i + 1]));
			}
			if (!term.prefix) {
				if (Object.prototype.hasOwnProperty.call(shard, term.token)) add(shard[term.token]);
			} else {
				for (var t in shard) if (t.lastIndexOf(term.token, 0) === 0) add(shard[t]);
			}
			return scores;
		});
	}

	/* Every document matching all terms, best first, without metadata:
	 * {total, ranked, phrases}. */
	function search(q) {
		var parsed = parse(q);
		if (!parsed.terms.length) return Promise.resolve(null);
		var ready = manifest ? Promise.resolve(manifest) : getJSON(base + "index.json").then(function (m) { manifest = m; return m; });
		return ready.then(function () {
			return Promise.all(parsed.terms.map(lookup));
		}).then(function (maps) {
			maps.sort(function (a, b) { return a.size - b.size; });
			var hits = [];
			maps[0].forEach(function (score, doc) {
				for (var i = 1; i < maps.length; i++) {
					var s = maps[i].get(doc);
					if (s === undefined) return;
					score += s;
				}
				hits.push({ doc: doc, score: score });
			});
			hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
			return { total: hits.length, ranked: hits, phrases: parsed.phrases };
		});
	}

	/* The next MAX of res.ranked after `from`, with titles and snippets. */
	function page(res, from) {
		var hits = res.ranked.slice(from, from + MAX).map(function (h) { return { doc: h.doc, score: h.score }; });
		var need = {};
		hits.forEach(function (h) { need[Math.floor(h.doc / manifest.chunk)] = true; });
		return Promise.all(Object.keys(need).map(function (c) {
			return cached(chunks, base + "d/" + c + ".json").then(function (rows) { return [c, rows]; });
		})).then(function (loaded) {
			var rows = {};
			loaded.forEach(function (p) { rows[p[0]] = p[1]; });
			hits.forEach(function (h) {
				var r = rows[Math.floor(h.doc / manifest.chunk)][h.doc % manifest.chunk];
				h.title = r[0]; h.kind = r[1]; h.community = r[2]; h.date = r[3]; h.url = r[4]; h.text = r[5];
				/* Prefer the phrase as typed over bigrams found apart. */
				var t = foldString(h.title), x = foldString(h.text);
				res.phrases.forEach(function (p) {
					if (t.indexOf(p) >= 0) h.score += 100;
					else if (x.indexOf(p) >= 0) h.score += 10;
				});
			});
			hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
			return hits;
		});
	}

	/* Append s to el with every phrase wrapped in <mark>. */
	function highlight(el, s, phrases) {
		var f = foldString(s), i = 0;
		while (i < s.length) {
			var best = -1, len = 0;
			phrases.forEach(function (p) {
				var k = f.indexOf(p, i);
				if (k >= 0 && (best < 0 || k < best || (k === best && p.length > len))) { best = k; len = p.length; }
			});
			if (best < 0 || !len) break;
			if (best > i) el.appendChild(document.createTextNode(s.slice(i, best)));
			var m = document.createElement("mark");
			m.textContent = s.slice(best, best + len);
			el.appendChild(m);
			i = best + len;
		}
		if (i < s.length) el.appendChild(document.createTextNode(s.slice(i)));
	}

	function snippet(s, phrases) {
		var f = foldString(s), at = -1;
		phrases.forEach(function (p) {
			var k = f.indexOf(p);
			if (k >= 0 && (at < 0 || k < at)) at = k;
		});
		if (at < 0) return s.length > 120 ? s.slice(0, 120) + "…" : s;
		var from = Math.max(0, at - 40), to = Math.min(s.length, at + 100);
		return (from > 0 ? "…" : "") + s.slice(from, to) + (to < s.length ? "…" : "");
	}

	/* Show res's hits from `from` on (a page of them), after those shown. */
	function render(q, res, hits, from) {
		if (!from) list.textContent = "";
		more.hidden = true;
		if (!res) {
			list.hidden = true;
			status.textContent = "";
			return;
		}
		hits.forEach(function (h) {
			var li = document.createElement("li");
			var h3 = document.createElement("h2");
			h3.className = "result-title";
			var a = document.createElement("a");
			a.href = h.url;
			highlight(a, h.title, res.phrases);
			h3.appendChild(a);
			li.appendChild(h3);
			var meta = document.createElement("p");
			meta.className = "result-meta";
			meta.textContent = [h.kind, h.community, h.date].filter(Boolean).join(" · ");
			li.appendChild(meta);
			var p = document.createElement("p");
			p.className = "result-snippet";
			highlight(p, snippet(h.text, res.phrases), res.phrases);
			li.appendChild(p);
			list.appendChild(li);
		});
		var shown = from + hits.length;
		list.hidden = !shown;
		status.textContent = !res.total ? text("none", { q: q })
			: res.total > shown ? text("results-more", { n: res.total, m: shown })
			: text("results", { n: res.total });
		/* Past the first page a resident would otherwise never reach the
		 * rest: 1,836 results for a phrase of the minutes, 20 shown. */
		more.hidden = res.total <= shown;
		shownRes = res; shownQ = q; shownN = shown;
	}

	function run() {
		var q = input.value.trim(), mine = ++seq;
		if (window.history && history.replaceState) {
			var url = location.pathname + (q ? "?q=" + encodeURIComponent(q) : "");
			history.replaceState(null, "", url);
		}
		if (q) status.textContent = text("loading", {});
		search(q).then(function (res) {
			return res ? page(res, 0).then(function (hits) { return [res, hits]; }) : [null, []];
		}).then(function (r) {
			if (mine === seq) render(q, r[0], r[1], 0);
		}, function () {
			if (mine === seq) { list.hidden = true; more.hidden = true; status.textContent = text("failed", {}); }
		});
	}

	if (more.addEventListener) more.addEventListener("click", function () {
		var mine = seq, res = shownRes, q = shownQ, from = shownN;
		if (!res) return;
		more.disabled = true;
		page(res, from).then(function (hits) {
			more.disabled = false;
			if (mine !== seq) return;
			var first = list.children.length;
			render(q, res, hits, from);
			/* Keyboard and screen reader users continue at the first new result. */
			var a = list.children[first] && list.children[first].querySelector("a");
			if (a) a.focus();
		}, function () {
			more.disabled = false;
			if (mine === seq) status.textContent = text("failed", {});
		});
	});

	input.addEventListener("input", function () {
		clearTimeout(timer);
		timer = setTimeout(run, DEBOUNCE);
	});
	form.addEventListener("submit", function (e) {
		e.preventDefault();
		clearTimeout(timer);
		run();
	});
	var q0 = new URLSearchParams(location.search).get("q");
	if (q0) {
		input.value = q0;
		run();
	}
})();
