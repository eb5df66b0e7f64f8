/* noticeboard default theme: progressive enhancement only. Every page works
 * without this file; it only reveals the print buttons. Served from the same
 * origin, so a strict Content-Security-Policy (script-src 'self') allows it. */
(function () {
	"use strict";
	if (!window.print || !document.querySelectorAll) return;
	var buttons = document.querySelectorAll("[data-print]");
	for (var i = 0; i < buttons.length; i++) {
		buttons[i].hidden = false;
		buttons[i].addEventListener("click", function () { window.print(); });
	}
})();
