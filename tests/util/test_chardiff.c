/*
 * test_chardiff.c - the code-point diff behind charter comparisons.
 *
 * The checks rebuild both texts from the spans (the invariant every caller
 * relies on) and pin the exact spans for small Chinese edits, because a
 * byte-level or off-by-one alignment shows up as split characters or a
 * wrong <del>/<ins> boundary on the comparison page. The HTML is
 * tests/render/test_diffhtml.c's.
 */
#include "harness.h"

#include "util/buf.h"
#include "util/chardiff.h"

/* "=x" equal, "-x" deleted, "+x" inserted, joined by '|'. */
static char *render_ops(const nb_diff *d)
{
	nb_buf b = NB_BUF_INIT;
	for (size_t k = 0; k < d->len; k++) {
		if (k)
			nb_buf_putc(&b, '|');
		nb_buf_putc(&b, "=-+"[d->spans[k].op]);
		nb_buf_put(&b, d->spans[k].text, d->spans[k].len);
	}
	return nb_buf_detach(&b);
}

static int rebuilds(const nb_diff *d, const char *a, const char *b)
{
	nb_buf x = NB_BUF_INIT, y = NB_BUF_INIT;
	for (size_t k = 0; k < d->len; k++) {
		if (d->spans[k].op != NB_DIFF_INSERT)
			nb_buf_put(&x, d->spans[k].text, d->spans[k].len);
		if (d->spans[k].op != NB_DIFF_DELETE)
			nb_buf_put(&y, d->spans[k].text, d->spans[k].len);
	}
	int ok = !strcmp(nb_buf_cstr(&x), a) && !strcmp(nb_buf_cstr(&y), b);
	nb_buf_free(&x);
	nb_buf_free(&y);
	return ok;
}

static char *diff_ops(const char *a, const char *b, nb_diff *d)
{
	nb_chardiff(a, strlen(a), b, strlen(b), d);
	return render_ops(d);
}

NB_TEST(identical_is_one_equal_span)
{
	nb_diff d;
	char *s = diff_ops("居民公约", "居民公约", &d);
	NB_CHECK_STR(s, "=居民公约");
	NB_CHECK(d.deleted == 0 && d.inserted == 0);
	free(s);
	nb_diff_free(&d);
}

NB_TEST(insertion_inside_chinese)
{
	nb_diff d;
	const char *a = "每季度召开一次全体会议", *b = "每季度至少召开一次全体会议";
	char *s = diff_ops(a, b, &d);
	NB_CHECK_STR(s, "=每季度|+至少|=召开一次全体会议");
	NB_CHECK(d.inserted == 2 && d.deleted == 0);
	NB_CHECK(rebuilds(&d, a, b));
	free(s);
	nb_diff_free(&d);
}

NB_TEST(replacement_deletes_before_inserting)
{
	nb_diff d;
	const char *a = "第五条 电动自行车管理", *b = "第五条 电动自行车停放与充电";
	char *s = diff_ops(a, b, &d);
	NB_CHECK_STR(s, "=第五条 电动自行车|-管理|+停放与充电");
	NB_CHECK(d.deleted == 2 && d.inserted == 5);
	NB_CHECK(d.spans[1].chars == 2);
	NB_CHECK(rebuilds(&d, a, b));
	free(s);
	nb_diff_free(&d);
}

NB_TEST(deletion_and_counts_in_code_points)
{
	nb_diff d;
	const char *a = "由到会人员过半数同意", *b = "由人员过半数同意";
	char *s = diff_ops(a, b, &d);
	NB_CHECK_STR(s, "=由|-到会|=人员过半数同意");
	NB_CHECK(d.deleted == 2);        /* characters, not 6 bytes */
	NB_CHECK(d.spans[1].len == 6);
	free(s);
	nb_diff_free(&d);
}

NB_TEST(lone_equal_character_is_folded)
{
	nb_diff d;
	/* One shared character between two edits: one change reads better. */
	const char *a = "甲乙丙", *b = "丁乙戊";
	char *s = diff_ops(a, b, &d);
	NB_CHECK_STR(s, "-甲乙丙|+丁乙戊");
	NB_CHECK(rebuilds(&d, a, b));
	free(s);
	nb_diff_free(&d);
}

NB_TEST(empty_sides)
{
	nb_diff d;
	char *s = diff_ops("", "新增条款", &d);
	NB_CHECK_STR(s, "+新增条款");
	free(s);
	nb_diff_free(&d);
	s = diff_ops("旧条款", "", &d);
	NB_CHECK_STR(s, "-旧条款");
	free(s);
	nb_diff_free(&d);
	s = diff_ops("", "", &d);
	NB_CHECK(d.len == 0);
	free(s);
	nb_diff_free(&d);
}

NB_TEST(mixed_ascii_and_multiline)
{
	nb_diff d;
	const char *a = "成员7至11名。\n\n每月一次。", *b = "成员7至13名。\n\n每月两次。";
	char *s = diff_ops(a, b, &d);
	NB_CHECK_STR(s, "=成员7至1|-1|+3|=名。\n\n每月|-一|+两|=次。");
	NB_CHECK(rebuilds(&d, a, b));
	free(s);
	nb_diff_free(&d);
}

NB_TEST(invalid_bytes_do_not_match_each_other)
{
	nb_diff d;
	const char a[] = "x\xff" "y", b[] = "x\xfe" "y";
	nb_chardiff(a, 3, b, 3, &d);
	NB_CHECK(d.deleted == 1 && d.inserted == 1);
	nb_diff_free(&d);
}

NB_TEST(long_texts_are_rebuilt)
{
	/* A long article with a change in the middle: the minimal edit. */
	nb_buf a = NB_BUF_INIT, b = NB_BUF_INIT;
	for (int i = 0; i < 200; i++) {
		nb_buf_puts(&a, i == 100 ? "甲" : "居民");
		nb_buf_puts(&b, i == 100 ? "乙丙" : "居民");
	}
	nb_diff d;
	nb_chardiff(a.ptr, a.len, b.ptr, b.len, &d);
	NB_CHECK(d.deleted == 1 && d.inserted == 2 && !d.approximate);
	NB_CHECK(rebuilds(&d, nb_buf_cstr(&a), nb_buf_cstr(&b)));
	nb_diff_free(&d);
	nb_buf_free(&a);
	nb_buf_free(&b);
}

NB_TEST(article_past_the_old_table_cap_is_minimal)
{
	/* 3,000 characters a side with edits at both ends of the middle: the
	 * old quadratic table gave up here (9 million cells) and showed the
	 * whole middle as rewritten; Myers gives the two small edits. */
	nb_buf a = NB_BUF_INIT, b = NB_BUF_INIT;
	static const char *const w[] = { "居", "民", "公", "约", "会", "议" };
	for (int i = 0; i < 3000; i++) {
		nb_buf_puts(&a, i == 10 ? "甲" : w[(i * 7 + i / 5) % 6]);
		nb_buf_puts(&b, i == 2990 ? "乙丙" : w[(i * 7 + i / 5) % 6]);
	}
	nb_diff d;
	nb_chardiff(a.ptr, a.len, b.ptr, b.len, &d);
	NB_CHECK(!d.approximate);
	NB_CHECK(d.deleted == 2 && d.inserted == 3);
	NB_CHECK(rebuilds(&d, nb_buf_cstr(&a), nb_buf_cstr(&b)));
	nb_diff_free(&d);
	nb_buf_free(&a);
	nb_buf_free(&b);
}

NB_TEST(rewritten_megabyte_is_correct)
{
	/* Two unrelated megabytes of Chinese: past the work budget, so not
	 * minimal, but the spans still rebuild both texts. */
	nb_buf a = NB_BUF_INIT, b = NB_BUF_INIT;
	static const char *const w[] = { "居", "民", "公", "约", "会", "议", "条", "款" };
	unsigned x = 1, y = 2;
	while (a.len < 1000000) {
		x = x * 1103515245u + 12345u;
		y = y * 1103515245u + 54321u;
		nb_buf_puts(&a, w[(x >> 16) % 8]);
		nb_buf_puts(&b, w[(y >> 16) % 8]);
	}
	nb_diff d;
	nb_chardiff(a.ptr, a.len, b.ptr, b.len, &d);
	NB_CHECK(d.approximate);
	NB_CHECK(rebuilds(&d, nb_buf_cstr(&a), nb_buf_cstr(&b)));
	nb_diff_free(&d);
	nb_buf_free(&a);
	nb_buf_free(&b);
}

NB_TEST_MAIN("chardiff",
	     NB_CASE(identical_is_one_equal_span),
	     NB_CASE(insertion_inside_chinese),
	     NB_CASE(replacement_deletes_before_inserting),
	     NB_CASE(deletion_and_counts_in_code_points),
	     NB_CASE(lone_equal_character_is_folded),
	     NB_CASE(empty_sides),
	     NB_CASE(mixed_ascii_and_multiline),
	     NB_CASE(invalid_bytes_do_not_match_each_other),
	     NB_CASE(long_texts_are_rebuilt),
	     NB_CASE(article_past_the_old_table_cap_is_minimal),
	     NB_CASE(rewritten_megabyte_is_correct))
