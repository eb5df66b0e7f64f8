/*
 * assets.h - what a file published as it is (static/, a theme's static/
 * files, a file beside the documents in content/) may hold.
 *
 * Such files are served byte for byte, so an HTML or SVG file among them
 * is a page the site did not generate: a script, an event handler or an
 * embedded HTML document in it runs with the site's origin, although
 * `markdown.unsafe_html: false` keeps raw HTML out of documents and the
 * generated pages carry a Content-Security-Policy (as a meta tag, which a
 * file served as it is does not have). So active content in those files
 * is refused at build time with an error naming the file, line and
 * column, unless the site owner opts in with
 * `assets.allow_active_content: true` in site.yaml (README.md documents
 * it, and the CSP header a web server should send for every file).
 *
 * What counts as active, in files named *.html, *.htm, *.xhtml, *.xht,
 * *.shtml, *.svg and *.xml: elements that run or embed code or other
 * documents (script, foreignObject, iframe, frame, frameset, object,
 * embed, applet, base, handler, listener, portal), any attribute named
 * on... (event handlers), an attribute value that is a javascript: or
 * vbscript: address or an HTML, SVG or XML data: address (after decoding
 * character references and dropping white space, as browsers do), an
 * <?xml-stylesheet?> instruction and a DTD with an internal subset
 * (entities can carry markup the scan would not see). It is a scan of the
 * markup, not a browser: a file it cannot follow is refused, not passed.
 */
#ifndef NB_ASSETS_H
#define NB_ASSETS_H

#include <stddef.h>

#include "config/config.h"
#include "util/diag.h"

/* 1 when a file of this name is scanned (by its extension). */
int nb_asset_scanned(const char *path);

/*
 * Scan `data` (the file `origin`, as the user knows it) and report its
 * first active content as an error. Returns 0 when there is none, -1
 * when there is.
 */
int nb_asset_scan(const char *origin, const char *data, size_t len, nb_diag *d);

/* The policy for one file on disk: nothing when the site allows active
 * content or the file is not scanned; else read (up to limits.file_size)
 * and scan. Returns 0 or -1 (errors in `d`). */
int nb_asset_vet(const nb_config *cfg, const char *origin, const char *disk, nb_diag *d);

#endif
