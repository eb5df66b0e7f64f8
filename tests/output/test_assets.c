/*
 * test_assets.c - the active-content scan of files published as they
 * are (assets.h): each way a script gets into HTML or SVG is refused at
 * its line and column, and ordinary drawings and pages pass.
 */
#include <string.h>

#include "output/assets.h"
#include "util/diag.h"
#include "harness.h"

/* Scan `src`; expect one error at line:col whose message holds `what`,
 * or none when `what` is NULL. */
static void expect(nb_test_state *nb__t, const char *src, const char *what, int line, int col)
{
	nb_diag d;
	nb_diag_init(&d);
	int rc = nb_asset_scan("static/x.svg", src, strlen(src), &d);
	if (!what) {
		NB_CHECK(rc == 0 && d.len == 0);
		if (d.len)
			fprintf(stderr, "  unexpected: %s (in %s)\n", d.items[0].msg, src);
	} else {
		NB_CHECK(rc == -1 && d.len == 1);
		if (d.len == 1) {
			NB_CHECK_STR(d.items[0].code, "asset-active-content");
			NB_CHECK_CONTAINS(d.items[0].msg, what);
			NB_CHECK_CONTAINS(d.items[0].hint, "assets.allow_active_content");
			if (d.items[0].line != line || d.items[0].col != col)
				fprintf(stderr, "  got %d:%d, want %d:%d in %s\n", d.items[0].line,
					d.items[0].col, line, col, src);
			NB_CHECK(d.items[0].line == line && d.items[0].col == col);
		} else {
			fprintf(stderr, "  not refused: %s\n", src);
		}
	}
	nb_diag_free(&d);
}

NB_TEST(refused)
{
	expect(nb__t, "<svg>\n  <script>alert(1)</script></svg>", "the element <script>", 2, 3);
	expect(nb__t, "<svg><SCRIPT>x</SCRIPT></svg>", "the element <SCRIPT>", 1, 6);
	expect(nb__t, "<svg:svg><svg:script/></svg:svg>", "the element <svg:script>", 1, 10);
	expect(nb__t, "<svg onload=\"alert(1)\"/>", "event handler attribute `onload`", 1, 6);
	expect(nb__t, "<svg><g\n   ONCLICK='x'/></svg>", "`ONCLICK`", 2, 4);
	expect(nb__t, "<svg><foreignObject><p>x</p></foreignObject></svg>", "<foreignObject>", 1, 6);
	expect(nb__t, "<html><iframe src=x></iframe>", "<iframe>", 1, 7);
	expect(nb__t, "<p>中文<embed src=a.swf>", "<embed>", 1, 6);
	expect(nb__t, "<a href=\"javascript:alert(1)\">x</a>", "attribute `href`", 1, 10);
	expect(nb__t, "<a xlink:href=\" jav&#x61;script&colon;x\">", "`xlink:href`", 1, 16);
	expect(nb__t, "<a href=java&#10;script:x>", "`href`", 1, 9);
	expect(nb__t, "<set attributeName=\"href\" to=\"javascript:x\"/>", "`to`", 1, 31);
	expect(nb__t, "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", "`src`", 1, 11);
	expect(nb__t, "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"a.xsl\"?>",
	       "xml-stylesheet", 2, 1);
	expect(nb__t, "<!DOCTYPE svg [<!ENTITY x \"&lt;script&gt;\">]><svg>&x;</svg>",
	       "DOCTYPE", 1, 1);
	/* A quoted '>' does not end the tag early. */
	expect(nb__t, "<g title=\"a > b\" onmouseover=\"x\"/>", "`onmouseover`", 1, 18);
}

NB_TEST(allowed)
{
	expect(nb__t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
		      "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">"
		      "<!-- <script>in a comment</script> -->"
		      "<title>社区 onion</title><path d=\"M0 0L10 10\" stroke=\"#000\"/>"
		      "<text x=\"1\" y=\"2\">a < b, on=1</text>"
		      "<a href=\"https://example.org/javascript\">x</a>"
		      "<image href=\"data:image/png;base64,iVBOR\"/></svg>",
	       NULL, 0, 0);
	expect(nb__t, "<!doctype html><html><body><p class=one>text</p><style>p{}</style>"
		      "<form action=\"/search/\"><input name=q></form></body></html>",
	       NULL, 0, 0);
	NB_CHECK(nb_asset_scanned("a/b.SVG") && nb_asset_scanned("x.html") &&
		 nb_asset_scanned("x.xml") && !nb_asset_scanned("x.png") &&
		 !nb_asset_scanned("x.css"));
}

NB_TEST_MAIN("assets", NB_CASE(refused), NB_CASE(allowed))
