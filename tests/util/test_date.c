/*
 * test_date.c - calendar dates (util/date.c): which text is a day, the
 * day after one, and today where the committee is.
 */
#include "harness.h"

#include <stdlib.h>
#include <time.h>

#include "util/date.h"

NB_TEST(test_real_days_only)
{
	int y, m, d;
	NB_CHECK(nb_date_parse("2024-02-29", &y, &m, &d) == 1 && y == 2024 && m == 2 && d == 29);
	NB_CHECK(nb_date_parse("2023-02-29", &y, &m, &d) == 0);
	NB_CHECK(nb_date_parse("1900-02-29", &y, &m, &d) == 0);  /* a century is no leap year */
	NB_CHECK(nb_date_parse("2000-02-29", &y, &m, &d) == 1);  /* unless it is a 400th */
	NB_CHECK(nb_date_parse("2026-04-31", &y, &m, &d) == 0);
	NB_CHECK(nb_date_parse("2026-13-01", &y, &m, &d) == 0);
	NB_CHECK(nb_date_parse("2026-00-10", &y, &m, &d) == 0);
	NB_CHECK(nb_date_parse("2026-01-00", &y, &m, &d) == 0);
	static const char *const not_form[] = { "2026-2-3", "2026/02/03", "today", "",
						"2026-02-03 ", " 2026-02-03", "2026-02-3x",
						"+026-02-03", "2026-02-031" };
	for (size_t i = 0; i < sizeof(not_form) / sizeof(not_form[0]); i++)
		NB_CHECK(nb_date_parse(not_form[i], &y, &m, &d) == -1);
	NB_CHECK(nb_date_parse(NULL, &y, &m, &d) == -1);
	NB_CHECK(nb_date_valid("2026-12-31"));
	NB_CHECK(!nb_date_valid("2026-02-30"));
	NB_CHECK(nb_date_month_days(2024, 2) == 29 && nb_date_month_days(2100, 2) == 28 &&
		 nb_date_month_days(2026, 11) == 30 && nb_date_month_days(2026, 12) == 31);
}

NB_TEST(test_month_days)
{
	NB_CHECK(nb_date_month_days(2024, 1) == 31);
	NB_CHECK(nb_date_month_days(2024, 2) == 29);  /* divisible by 4 */
	NB_CHECK(nb_date_month_days(2025, 2) == 28);
	NB_CHECK(nb_date_month_days(1900, 2) == 28);  /* by 100, not 400 */
	NB_CHECK(nb_date_month_days(2000, 2) == 29);  /* by 400 */
	NB_CHECK(nb_date_month_days(2025, 4) == 30);
	NB_CHECK(nb_date_month_days(2025, 6) == 30);
	NB_CHECK(nb_date_month_days(2025, 9) == 30);
	NB_CHECK(nb_date_month_days(2025, 11) == 30);
	NB_CHECK(nb_date_month_days(2025, 7) == 31);
	NB_CHECK(nb_date_month_days(2025, 8) == 31);
	NB_CHECK(nb_date_month_days(2025, 12) == 31);
}

NB_TEST(test_day_after)
{
	char out[11];
	static const char *const pairs[][2] = {
		{ "2026-03-07", "2026-03-08" }, { "2026-04-30", "2026-05-01" },
		{ "2024-02-28", "2024-02-29" }, { "2024-02-29", "2024-03-01" },
		{ "2100-02-28", "2100-03-01" }, { "2026-12-31", "2027-01-01" },
		{ "0999-12-31", "1000-01-01" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		NB_CHECK(nb_date_next(out, pairs[i][0]) == 0);
		NB_CHECK_STR(out, pairs[i][1]);
	}
	NB_CHECK(nb_date_next(out, "2026-02-30") == -1);
	NB_CHECK(nb_date_next(out, "9999-12-31") == -1);
}

/* Today in China Standard Time, whatever zone the machine is set to. */
NB_TEST(test_today_is_the_committees_day)
{
	static const char *const zones[] = { "UTC", "Etc/GMT+12", "Etc/GMT-14",
					     "America/Los_Angeles", "Asia/Shanghai" };
	char want[11], got[11];
	time_t now = time(NULL) + 8 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(want, sizeof(want), "%Y-%m-%d", &tm);
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		setenv("TZ", zones[i], 1);
		tzset();
		nb_date_today(got);
		if (strcmp(got, want))
			fprintf(stderr, "  TZ=%s: %s, not %s\n", zones[i], got, want);
		NB_CHECK_STR(got, want);
	}
	unsetenv("TZ");
	tzset();
}

NB_TEST_MAIN("date", NB_CASE(test_real_days_only), NB_CASE(test_month_days),
	     NB_CASE(test_day_after),
	     NB_CASE(test_today_is_the_committees_day))
