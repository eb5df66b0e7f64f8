/*
 * trends.h - a community's evaluations over time, as data: the table of
 * periods and indicators every one of its pages shows, and the points of
 * each indicator's chart. The render stage draws the charts
 * (render/trends.h), once per community, and splices each page's
 * emphasised period in; nothing here is markup.
 */
#ifndef NB_TRENDS_H
#define NB_TRENDS_H

#include <jansson.h>
#include <stddef.h>

#include "graph/site.h"

#define NB_TREND_SERIES 6   /* the evaluation indicators (graph/indicators.c) */

typedef struct nb_trends {
	const nb_page **ev;       /* the community's evaluations, oldest period first */
	size_t n;
	json_t *columns;          /* [{label}], shared by every page */
	json_t **rows;            /* per period {period, url, cells: [{display}]},
				   * without `current` */
	char (*axis)[48];         /* per period, its short form along an axis */
	json_t *labels[NB_TREND_SERIES], *keys[NB_TREND_SERIES];
	size_t npts[NB_TREND_SERIES];   /* points of each series; 0: no chart */
	size_t *pt[NB_TREND_SERIES];    /* period index -> point index, or SIZE_MAX */
	double *val[NB_TREND_SERIES];   /* each point's value */
	char *title[NB_TREND_SERIES];   /* the chart's title ("informed: Hongling") */
	int rate[NB_TREND_SERIES];      /* a rate (0-1): its axis ends at 1 */
	int higher_better[NB_TREND_SERIES];
} nb_trends;

#endif
