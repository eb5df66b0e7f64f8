/*
 * test_valuehint.c - the value a secretary meant (valuehint.c).
 *
 * A hint that names the wrong value is worse than none: the secretary
 * types it in and the record says something else. So besides the forms
 * that must be understood (README, "Documents": 2025/3/6, 2025.3.6,
 * 2025年3月6日 give 2025-03-06; `category: 消防` gives fire-safety), these
 * tests insist on silence where the text is no real date or fits more than
 * one value. Labels are the built-in theme's zh-CN strings
 * (themes/default/i18n/zh-CN.yaml).
 */
#include "harness.h"

#include <jansson.h>
#include <string.h>

#include "schema/valuehint.h"

/* The hint for `s`, or "" when there is none. */
static const char *date_hint(char iso[16], const char *s)
{
	memcpy(iso, "unchanged", 10);
	return nb_valuehint_date(iso, s) ? iso : "";
}

NB_TEST(test_date_paper_forms)
{
	char iso[16];
	NB_CHECK_STR(date_hint(iso, "2025/3/6"), "2025-03-06");
	NB_CHECK_STR(date_hint(iso, "2025.3.6"), "2025-03-06");
	NB_CHECK_STR(date_hint(iso, "2025-3-6"), "2025-03-06");
	NB_CHECK_STR(date_hint(iso, "2025年3月6日"), "2025-03-06");
	NB_CHECK_STR(date_hint(iso, "2025/03/06"), "2025-03-06");
	NB_CHECK_STR(date_hint(iso, "2024年12月31日"), "2024-12-31");
	NB_CHECK_STR(date_hint(iso, "2024/2/29"), "2024-02-29");
	NB_CHECK_STR(date_hint(iso, "2000.2.29"), "2000-02-29");
}

NB_TEST(test_date_no_such_day)
{
	/* Not a real date: no hint, rather than a day the meeting was not. */
	char iso[16];
	NB_CHECK_STR(date_hint(iso, "2025/2/29"), "");
	NB_CHECK_STR(date_hint(iso, "1900/2/29"), "");
	NB_CHECK_STR(date_hint(iso, "2025/4/31"), "");
	NB_CHECK_STR(date_hint(iso, "2025/3/32"), "");
	NB_CHECK_STR(date_hint(iso, "2025/13/1"), "");
	NB_CHECK_STR(date_hint(iso, "2025/0/6"), "");
	NB_CHECK_STR(date_hint(iso, "2025/3/0"), "");
	NB_CHECK_STR(date_hint(iso, "2025/-3/6"), "");
	NB_CHECK_STR(date_hint(iso, "25/3/6"), "");      /* a two-digit year */
	NB_CHECK_STR(date_hint(iso, "0999/3/6"), "");
	/* The iso buffer is left alone when there is no hint. */
	NB_CHECK(nb_valuehint_date(iso, "2025/2/30") == 0);
	NB_CHECK_STR(iso, "unchanged");
}

NB_TEST(test_date_other_text)
{
	char iso[16];
	NB_CHECK_STR(date_hint(iso, ""), "");
	NB_CHECK_STR(date_hint(iso, "三月六日"), "");
	NB_CHECK_STR(date_hint(iso, "2025/3"), "");
	NB_CHECK_STR(date_hint(iso, "12025/3/6"), "");
	NB_CHECK_STR(date_hint(iso, "2025/3/6 19:00"), "");   /* a time too */
	NB_CHECK_STR(date_hint(iso, "2025/3/6/7"), "");
	NB_CHECK_STR(date_hint(iso, "2025/3/16x"), "");
	NB_CHECK_STR(date_hint(iso, "2025年3月6日下午"), "");
	NB_CHECK_STR(date_hint(iso, "2025年3月6日日日日"), "");
	NB_CHECK_STR(date_hint(iso, "2025/3.6"), "");         /* mixed marks */
	NB_CHECK_STR(date_hint(iso, "3/6/2025"), "");         /* US order */
}

static json_t *values(const char *json)
{
	json_t *v = json_loads(json, 0, NULL);
	if (!v)
		abort();
	return v;
}

#define CATEGORIES                                                            \
	"[\"public-order\", \"opinion\", \"appeals\", \"neighbours\", \"services\", " \
	"\"mediation\", \"fire-safety\", \"sanitation\", \"security\"]"

NB_TEST(test_enum_label_found)
{
	json_t *cat = values(CATEGORIES);
	char key[32];
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), cat, "消防"));
	NB_CHECK_STR(key, "fire-safety");                /* held in 消防安全监督 */
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), cat, "消防安全监督"));
	NB_CHECK_STR(key, "fire-safety");                /* the label itself */
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), cat, "消防安全监督检查"));
	NB_CHECK_STR(key, "fire-safety");                /* holds the label */
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), cat, "卫生"));
	NB_CHECK_STR(key, "sanitation");
	json_decref(cat);

	json_t *kinds = values("[\"plenary\", \"coordination\", \"party-deliberation\", "
			       "\"hearing\", \"other\"]");
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), kinds, "协调会"));
	NB_CHECK_STR(key, "coordination");
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), kinds, "全体会议"));
	NB_CHECK_STR(key, "plenary");
	json_decref(kinds);

	json_t *plat = values("[\"party\", \"residents-committee\", \"village-company\", "
			      "\"owners-committee\", \"mass-organisations\"]");
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), plat, "业委会"));
	NB_CHECK_STR(key, "owners-committee");
	json_decref(plat);
}

NB_TEST(test_enum_label_ambiguous_or_unknown)
{
	char key[32] = "untouched";
	json_t *cat = values(CATEGORIES);
	/* 安 is in both 消防安全监督 and 治安维护: two values, no guess. */
	NB_CHECK(!nb_valuehint_enum_label(key, sizeof(key), cat, "安"));
	NB_CHECK(!nb_valuehint_enum_label(key, sizeof(key), cat, "居委会"));   /* none */
	NB_CHECK(!nb_valuehint_enum_label(key, sizeof(key), cat, "fire"));     /* not a label */
	NB_CHECK(!nb_valuehint_enum_label(key, sizeof(key), cat, "ab"));       /* too short */
	NB_CHECK(!nb_valuehint_enum_label(key, sizeof(key), cat, ""));
	NB_CHECK(!nb_valuehint_enum_label(key, sizeof(key), cat, NULL));
	json_decref(cat);

	/* 会 is in every meeting kind's label. */
	json_t *kinds = values("[\"plenary\", \"coordination\", \"party-deliberation\", "
			       "\"hearing\", \"other\"]");
	NB_CHECK(!nb_valuehint_enum_label(key, sizeof(key), kinds, "会议"));
	json_decref(kinds);

	/* Values with no label (the community types are Chinese already). */
	json_t *types = values("[\"商业区\", \"商住混合区\", \"城中村\"]");
	NB_CHECK(!nb_valuehint_enum_label(key, sizeof(key), types, "城中"));
	json_decref(types);

	/* Only the allowed values are candidates: 通过 is the label of
	 * `adopted`, which this (made-up) list does not allow. */
	json_t *some = values("[\"rejected\", \"deferred\"]");
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), some, "暂缓"));
	NB_CHECK_STR(key, "deferred");
	json_decref(some);
}

NB_TEST(test_enum_label_exact_wins)
{
	/* 通过 (adopted) is held in 未通过 (rejected): a text that is exactly
	 * one value's label means that value, not two. */
	json_t *res = values("[\"adopted\", \"rejected\", \"deferred\"]");
	char key[32] = "";
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), res, "通过"));
	NB_CHECK_STR(key, "adopted");
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), res, "未通过"));
	NB_CHECK_STR(key, "rejected");
	NB_CHECK(nb_valuehint_enum_label(key, sizeof(key), res, "暂缓"));
	NB_CHECK_STR(key, "deferred");
	json_decref(res);
}

NB_TEST_MAIN("valuehint",
	     NB_CASE(test_date_paper_forms),
	     NB_CASE(test_date_no_such_day),
	     NB_CASE(test_date_other_text),
	     NB_CASE(test_enum_label_found),
	     NB_CASE(test_enum_label_ambiguous_or_unknown),
	     NB_CASE(test_enum_label_exact_wins))
