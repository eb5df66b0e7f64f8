/*
 * date.c - calendar dates; see date.h.
 */
#include "util/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* China Standard Time, seconds east of UTC. */
#define SITE_ZONE_OFFSET (8 * 3600)

int nb_date_month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int nb_date_digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int nb_date_parse(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !nb_date_digits(s, 4, y) ||
	    !nb_date_digits(s + 5, 2, m) || !nb_date_digits(s + 8, 2, d))
		return -1;
	if (*m < 1 || *m > 12 || *d < 1 || *d > nb_date_month_days(*y, *m))
		return 0;
	return 1;
}

int nb_date_valid(const char *s)
{
	int y, m, d;
	return nb_date_parse(s, &y, &m, &d) == 1;
}

int nb_date_next(char out[11], const char *iso)
{
	int y, m, d;
	if (nb_date_parse(iso, &y, &m, &d) != 1)
		return -1;
	if (++d > nb_date_month_days(y, m)) {
		d = 1;
		if (++m > 12) {
			m = 1;
			if (++y > 9999)
				return -1;  /* no YYYY to write it in */
		}
	}
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
	return 0;
}

void nb_date_today(char out[11])
{
	time_t now = time(NULL) + SITE_ZONE_OFFSET;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}
