/*
 * date.h - calendar dates as a site reads them: `YYYY-MM-DD` naming a day
 * that exists, and today's date where the committee is.
 *
 * Why one module: a date was read in five places with five rules (the
 * checks knew February has 28 or 29 days, `publish --as-of` and `new
 * --date` took any day up to 31, `build --as-of` took any text at all),
 * and "today" was the UTC date for build and the machine's local date for
 * publish, so a build and a publish run a minute apart from 00:00 to
 * 08:00 in China judged deadlines on different days.
 */
#ifndef NB_DATE_H
#define NB_DATE_H

/* The n decimal digits at s as a number into *out: 1, or 0 when one of
 * them is not a digit (YYYY, MM, a period's year). */
int nb_date_digits(const char *s, int n, int *out);

/* Days in month m (1-12) of year y, leap years counted. */
int nb_date_month_days(int y, int m);

/* `s` as YYYY-MM-DD: 1 when it names a real day (y, m, d filled), 0 when
 * it has the form but no such day exists (2024-02-30, 2024-13-01; y, m,
 * d filled as written), -1 when it is not the form. */
int nb_date_parse(const char *s, int *y, int *m, int *d);

/* 1 when `s` is YYYY-MM-DD and a real day (nb_date_parse). */
int nb_date_valid(const char *s);

/* The day after the real date `iso` as YYYY-MM-DD into out: 0, or -1
 * when `iso` is not a real date (nb_date_parse) or is 9999-12-31. */
int nb_date_next(char out[11], const char *iso);

/* Today's date as YYYY-MM-DD in China Standard Time (UTC+8, no daylight
 * saving since 1991): the zone the sites' calendars are in (feeds.c), so
 * a deadline passes at midnight where the committee is, whatever zone the
 * machine that builds is set to. */
void nb_date_today(char out[11]);

#endif
