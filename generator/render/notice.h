/*
 * notice.h - the printed notice (公示): what a meeting or decision needs
 * to be pinned on the community's paper notice board.
 *
 * A notice on the board is signed (落款: the committee's name and the
 * date), says how long it is posted (公示期) and where residents send
 * objections, and points back to the page a resident can check against
 * (its address and a QR code of it). All of it is data made here at build
 * time, so the print is the same from any browser and every build; the
 * theme shows it only in print (themes/default/README.md). The link
 * stage checks the period; the data is made per page when it renders.
 *
 * The QR code is drawn by libqrencode (a Debian package, no encoder of
 * our own) as inline SVG. It encodes the page's absolute address, which
 * exists only when site.yaml's base_url is absolute: with base_url "/"
 * the notice prints the path and says why there is no code, rather than
 * a code a phone cannot open.
 */
#ifndef NB_NOTICE_H
#define NB_NOTICE_H

#include <jansson.h>

#include "util/buf.h"
#include "util/diag.h"
#include "graph/site.h"

/* Check every meeting's and decision's disclosure period: errors for
 * one that ends before it starts. Returns 0, or -1 with errors in `d`. */
int nb_notice_link(nb_site *s, nb_diag *d);

/* The side of the printed QR code, in millimetres. */
#define NB_NOTICE_QR_MM 30

/* The `notice` of a meeting or decision page ({committee, date_display,
 * has_period, from_display, until_display, objections, url, absolute,
 * qr_svg}), or NULL for another kind. A view made when the page's
 * context is built and freed with it (site.h): its QR code is a few KB,
 * and held on every page from linking to the end it was 40 MB at
 * 10,000 documents with an absolute base_url. A new value; it takes no
 * reference to the graph's.
 *
 * The code itself is not drawn here: the context is made for every page
 * of a rebuild, rendered or not (render.c), on the one thread that makes
 * contexts. In its place is `qr_later` ({text, label}: exactly what the
 * code is drawn from, so the page key covers it), which
 * nb_notice_draw_later turns into `qr_svg` for a page that is rendered. */
json_t *nb_notice_page(const nb_site *s, const nb_page *p);

/* `qr_svg` drawn from `qr_later`, which goes: templates see what a code
 * drawn at once gives (none when the address is too long to encode).
 * Changes only `notice`, a page's own view, so a worker may call it on
 * the context of the page it renders (libqrencode locks its own tables).
 * Returns 1 when it drew a code, else 0. */
int nb_notice_draw_later(json_t *notice);

/* `text` as a QR code in inline SVG, `mm` millimetres square, appended to
 * `out`; `label` is its text alternative. 0, or -1 when it cannot be
 * encoded (too long). */
int nb_notice_qr_svg(nb_buf *out, const char *text, const char *label, int mm);

/* The QR code library's version ("libqrencode" in the generator's
 * identity: the notice's QR codes are output). */
const char *nb_notice_library_version(void);

#endif
