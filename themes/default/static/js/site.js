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
