/*
 * test_utf8.c - validation positions, decoding, length and slugs.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/utf8.h"

NB_TEST(valid_text)
{
	const char *s = "第五条 公共秩序\nhello\n";
	int line = -1, col = -1;
	NB_CHECK(nb_utf8_validate(s, strlen(s), &line, &col) == 0);
	NB_CHECK(nb_utf8_validate("", 0, &line, &col) == 0);
}

NB_TEST(invalid_position)
{
	/* Bad byte after 2 CJK characters on line 2: column 3. */
	const char s[] = "ok\n中文\xFF rest";
	int line = 0, col = 0;
	NB_CHECK(nb_utf8_validate(s, sizeof s - 1, &line, &col) == -1);
	NB_CHECK(line == 2);
	NB_CHECK(col == 3);
}

NB_TEST(rejects_bad_forms)
{
	int l, c;
	NB_CHECK(nb_utf8_validate("\xC0\xAF", 2, &l, &c) == -1);         /* overlong */
	NB_CHECK(nb_utf8_validate("\xE0\x80\xAF", 3, &l, &c) == -1);     /* overlong */
	NB_CHECK(nb_utf8_validate("\xED\xA0\x80", 3, &l, &c) == -1);     /* surrogate */
	NB_CHECK(nb_utf8_validate("\xF4\x90\x80\x80", 4, &l, &c) == -1); /* > U+10FFFF */
	NB_CHECK(nb_utf8_validate("\xE4\xB8", 2, &l, &c) == -1);         /* truncated */
	NB_CHECK(nb_utf8_validate("\x80", 1, &l, &c) == -1);             /* lone continuation */
	NB_CHECK(nb_utf8_validate("\xEF\xBF\xBD", 3, &l, &c) == 0);      /* literal U+FFFD is fine */
	NB_CHECK(nb_utf8_validate("\xF0\x9F\x98\x80", 4, &l, &c) == 0);  /* emoji */
}

NB_TEST(nul_is_invalid)
{
	const char s[] = "ab\ncd\0ef";
	int line = 0, col = 0;
	NB_CHECK(nb_utf8_validate(s, sizeof s - 1, &line, &col) == -1);
	NB_CHECK(line == 2 && col == 3);
}

NB_TEST(decode_and_length)
{
	uint32_t cp;
	NB_CHECK(nb_utf8_decode("中", 3, &cp) == 3 && cp == 0x4E2D);
	NB_CHECK(nb_utf8_decode("A", 1, &cp) == 1 && cp == 'A');
	NB_CHECK(nb_utf8_decode("\xFF", 1, &cp) == 1 && cp == 0xFFFD);
	NB_CHECK(nb_utf8_decode("\xE4\xB8", 2, &cp) == 1 && cp == 0xFFFD);
	NB_CHECK(nb_utf8_length("第五条", strlen("第五条")) == 3);
	NB_CHECK(nb_utf8_length("a中b", strlen("a中b")) == 3);
	NB_CHECK(nb_utf8_length("", 0) == 0);
}

static void check_slug(nb_test_state *nb__t, const char *in, const char *want)
{
	char *s = nb_utf8_slug(in);
	NB_CHECK_STR(s, want);
	free(s);
}

NB_TEST(slugs)
{
	check_slug(NB_T, "第五条 公共秩序", "第五条-公共秩序");
	check_slug(NB_T, "一、会议议程", "一会议议程");
	check_slug(NB_T, "Fire Safety!", "fire-safety");
	check_slug(NB_T, "  --Hello__World--  ", "hello-world");
	check_slug(NB_T, "《章程》（草案）", "章程草案");
	check_slug(NB_T, "二〇二四年 会议", "二〇二四年-会议");
	check_slug(NB_T, "a\u3000b", "a-b");
	check_slug(NB_T, "“引号”…", "引号");
	check_slug(NB_T, "!!!", "");
	check_slug(NB_T, "Café au lait", "café-au-lait");
}

static void check_visible(nb_test_state *nb__t, const char *in, size_t len, int flags,
			  const char *want)
{
	nb_buf b = NB_BUF_INIT;
	nb_utf8_put_visible(&b, in, len, flags);
	NB_CHECK_STR(nb_buf_cstr(&b), want);
	nb_buf_free(&b);
}
#define VISIBLE(in, flags, want) check_visible(NB_T, in, sizeof(in) - 1, flags, want)

NB_TEST(visible)
{
	/* Chinese and ordinary punctuation pass; ESC, BEL, NUL and DEL do not. */
	VISIBLE("第五条 \"公共\" a\\b", 0, "第五条 \"公共\" a\\b");
	VISIBLE("x\033[2Jy\007\177", 0, "x\\x1b[2Jy\\x07\\x7f");
	VISIBLE("a\0b", 0, "a\\x00b");
	/* C1 controls and bidirectional/line-separator controls. */
	VISIBLE("\xC2\x9B" "31m\xC2\x85", 0, "\\u009b31m\\u0085");
	VISIBLE("7\xE2\x80\xAE" "8\xE2\x81\xA6\xE2\x80\x8F\xE2\x80\xA8", 0,
		"7\\u202e8\\u2066\\u200f\\u2028");
	VISIBLE("\xC2\xA0\xE2\x80\x94", 0, "\xC2\xA0\xE2\x80\x94"); /* NBSP, em dash kept */
	/* Bytes that are not UTF-8 (8-bit C1 included) as \xNN. */
	VISIBLE("a\x9B" "b\xFF\xE4\xB8", 0, "a\\x9bb\\xff\\xe4\\xb8");
	/* One line: newline, tab and CR escaped; many lines: kept, but a CR
	 * that is not part of CRLF still cannot return to the line start. */
	VISIBLE("a\nb\tc\r\n", 0, "a\\x0ab\\x09c\\x0d\\x0a");
	VISIBLE("a\nb\tc\r\nd\re", NB_VISIBLE_LINES, "a\nb\tc\r\nd\\x0de");
}


/* Ids compare as readers and case-insensitive file systems see them. */
NB_TEST(fold)
{
	const char *same[][2] = {
		{ "About/Us", "about/us" },
		{ "caf\xc3\xa9", "cafe\xcc\x81" },           /* é: NFC and NFD */
		{ "\xc3\x89T\xc3\x89", "e\xcc\x81te\xcc\x81" }, /* ÉTÉ */
		{ "\xef\xa4\x80", "\xe8\xb1\x88" },             /* U+F900 = U+8C48 */
		{ "Stra\xc3\x9f" "e", "strasse" },             /* ß folds to ss */
		{ "\xe5\xb1\x85\xe5\xa7\x94\xe4\xbc\x9a", "\xe5\xb1\x85\xe5\xa7\x94\xe4\xbc\x9a" },
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *a = nb_utf8_fold(same[i][0]), *b = nb_utf8_fold(same[i][1]);
		NB_CHECK_STR(a, b);
		free(a);
		free(b);
	}
	char *a = nb_utf8_fold("caf\xc3\xa9"), *b = nb_utf8_fold("cafe");
	NB_CHECK(strcmp(a, b) != 0);
	free(a);
	free(b);
}

/* People's names compare as readers see them: full width and other
 * compatibility forms are the letters they show, an invisible zero-width
 * space is nothing. Ids do not: a file `Ｌｉ.md` is not `li.md`. */
NB_TEST(fold_name)
{
	const char *same[][2] = {
		{ "\xef\xbc\xac\xef\xbd\x89 Ming", "li ming" },      /* Ｌｉ */
		{ "Li\xe3\x80\x80Ming", "LI MING" },                 /* U+3000 space */
		{ "\xe7\x8e\x8b\xe2\x80\x8b\xe4\xbc\x9f", "\xe7\x8e\x8b\xe4\xbc\x9f" }, /* 王 ZWSP 伟 */
		{ "\xef\xa7\xa1", "\xe6\x9d\x8e" },                   /* U+F9E1 = 李 */
		{ "Jose\xcc\x81", "JOS\xc3\x89" },
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *a = nb_utf8_fold_name(same[i][0]), *b = nb_utf8_fold_name(same[i][1]);
		NB_CHECK_STR(a, b);
		free(a);
		free(b);
	}
	char *a = nb_utf8_fold("\xef\xbc\xac\xef\xbd\x89"), *b = nb_utf8_fold("li");
	NB_CHECK(strcmp(a, b) != 0);
	free(a);
	free(b);
	a = nb_utf8_fold_name("\xe6\x9d\x8e\xe5\xae\x8f");   /* 李宏 */
	b = nb_utf8_fold_name("\xe6\x9d\x8e\xe7\xba\xa2");   /* 李红: another person */
	NB_CHECK(strcmp(a, b) != 0);
	free(a);
	free(b);
}

NB_TEST_MAIN("utf8", NB_CASE(fold), NB_CASE(fold_name), NB_CASE(valid_text), NB_CASE(invalid_position),
	     NB_CASE(rejects_bad_forms), NB_CASE(nul_is_invalid),
	     NB_CASE(decode_and_length), NB_CASE(slugs), NB_CASE(visible))
