/*
 * export.h - open data: the site's records as files a program can read.
 *
 * data/popolo.json follows the shape of the Popolo standard (organizations,
 * persons, memberships, events, motions, vote events) so civic-tech tools
 * that read parliaments' data can read a committee's; data/decisions.csv is
 * the same decisions as one spreadsheet row each, for people who open
 * things in Excel. Both are built from the site graph, drafts left out.
 */
#ifndef NB_EXPORT_H
#define NB_EXPORT_H

#include "util/buf.h"
#include "output/writer.h"
#include "graph/site.h"

/* Write data/popolo.json and data/decisions.csv through `o`, each in
 * pieces as it is made (writer.h nb_out_open). */
void nb_export_write(const nb_site *s, nb_out *o);

/* The two files' bytes (what nb_export_write writes), handed to `sink`
 * in order, a piece whenever `bound` bytes or more are made (1: about a
 * value at a time), and the rest at the end. */
void nb_export_popolo(const nb_site *s, size_t bound, nb_sink sink, void *ud);
void nb_export_csv(const nb_site *s, size_t bound, nb_sink sink, void *ud);

#endif
