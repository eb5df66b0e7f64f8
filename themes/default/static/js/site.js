/* noticeboard default theme: progressive enhancement only. Every page works
 * without this file; it only reveals the print buttons and gives printed
 * links their full address. Served from the same origin, so a strict
 * Content-Security-Policy (script-src 'self') allows it. */
(function () {
	"use strict";
	/* A printed notice is read far from the site: print.css shows each
	 * link's target, and a full address (resolved against the page's
	 * canonical one, absolute when site.yaml's base_url is) is one a
	 * resident can type. Without this the path is printed. */
	var canon = document.querySelector && document.querySelector('link[rel="canonical"]');
	var base = canon && canon.getAttribute("href");
	if (base && /^https?:\/\//.test(base) && window.URL) {
		var links = document.querySelectorAll("main a[href]");
		for (var k = 0; k < links.length; k++) {
			var h = links[k].getAttribute("href");
			if (h.charAt(0) === "#") continue;
			try {
				links[k].setAttribute("data-print-href", new URL(h, base).href);
			} catch (e) { /* left as written */ }
		}
	}
	if (!window.print || !document.querySelectorAll) return;
	var buttons = document.querySelectorAll("[data-print]");
	for (var i = 0; i < buttons.length; i++) {
		buttons[i].hidden = false;
		buttons[i].addEventListener("click", function () { window.print(); });
	}
})();

/* A table wider than the screen scrolls sideways inside its frame; say so
 * above it (the words come from the page: <body data-table-scrolls>) and
 * let the keyboard scroll it. Checked again when the window is resized or
 * turned, since the same table fits a desktop. */
(function () {
	"use strict";
	if (!document.querySelectorAll || !window.addEventListener || !document.body) return;
	var hint = document.body.getAttribute("data-table-scrolls");
	function mark() {
		var wraps = document.querySelectorAll(".table-wrap");
		for (var i = 0; i < wraps.length; i++) {
			var w = wraps[i];
			var wide = w.scrollWidth > w.clientWidth + 1;
			var prev = w.previousElementSibling;
			var has = prev && prev.className === "table-scroll-hint";
			if (wide) {
				w.className += /\bis-scrollable\b/.test(w.className) ? "" : " is-scrollable";
				w.tabIndex = 0;
				var cap = w.querySelector("caption");
				if (!w.hasAttribute("role") && cap) {
					w.setAttribute("role", "region");
					w.setAttribute("aria-label", cap.textContent);
				}
				if (!has && hint) {
					var p = document.createElement("p");
					p.className = "table-scroll-hint";
					p.textContent = hint;
					w.parentNode.insertBefore(p, w);
				}
			} else {
				w.className = w.className.replace(/\s*\bis-scrollable\b/, "");
				w.removeAttribute("tabindex");
				if (has) prev.parentNode.removeChild(prev);
			}
		}
	}
	mark();
	window.addEventListener("resize", mark);
})();
