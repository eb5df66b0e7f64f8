/*
 * attach.h - attachments: the files a document links beside itself.
 *
 * Secretaries keep a meeting's scanned signed minutes, sign-in sheet and
 * photos next to its Markdown file and link them as they naturally would,
 * `[签到表](signin.pdf)`, `![现场照片](photo.jpg)`. Those files are
 * published inside the document's own page folder
 * (/meetings/<id>/signin.pdf), so the relative link works as written,
 * whatever the document's id, and the publication records them like any
 * other output file. The page lists them with their type and size.
 *
 * It is also where links are judged against the files that exist, which
 * the Markdown stage cannot know: a link or image to a local file that is
 * not there is an error at its file and line, as is an image without a
 * text alternative (a resident with a screen reader, or a failed photo on
 * a slow phone, gets nothing). A link may not leave the document's folder
 * (`../x.pdf`): its target could not be published beside the page.
 */
#ifndef NB_ATTACH_H
#define NB_ATTACH_H

#include "load/content.h"
#include "util/diag.h"
#include "graph/site.h"

/* Check every published document's links and images (content.h
 * nb_doc.links) against the content's files; give each page its
 * `attachments` (page.attachments[] = {name, url, type, type_label, size,
 * size_display}) and the site the files to publish (s->attachments) and
 * the files claimed by any document, draft or not (s->attached), which
 * are then not published where they lie. Returns 0, or -1 with errors. */
int nb_attach_link(nb_site *s, const nb_content *c, nb_diag *d);

#endif
