/*
 * test_diag_i18n.c - diagnostics in the site's language.
 *
 * The first test reads the generator/ sources (run from the project folder, as make
 * does) and lists every diagnostic code passed as a literal to nb_error,
 * nb_warning and validate.c's and yamltree.c's helpers; each must have a
 * Chinese entry in diag_i18n.c. A code added on another branch without one
 * fails here, so missing translations show when branches meet.
 */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "harness.h"

/* Which argument (0-based) holds the code, per reporting function. */
static const struct {
	const char *name;
	int arg;
} reporters[] = {
	{ "nb_error", 4 }, { "nb_warning", 4 }, { "report", 3 }, { "scalar_error", 2 },
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	size_t got = fread(s, 1, (size_t)n, f);
	s[got] = '\0';
	fclose(f);
	return s;
}

/* Past a string or char literal starting at p (at its quote). */
static const char *skip_literal(const char *p)
{
	char q = *p++;
	while (*p && *p != q) {
		if (*p == '\\' && p[1])
			p++;
		p++;
	}
	return *p ? p + 1 : p;
}

/* The literal code at argument `want` of the call whose '(' is at p, into
 * code (empty when that argument is not a plain string literal). */
static void code_arg(const char *p, int want, char *code, size_t n)
{
	code[0] = '\0';
	int depth = 0, arg = 0;
	const char *start = p + 1;
	for (p++; *p; p++) {
		if (*p == '"' || *p == '\'') {
			p = skip_literal(p) - 1;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth-- == 0)
			break;
		else if (*p == ',' && depth == 0) {
			if (arg == want)
				break;
			arg++;
			start = p + 1;
		}
	}
	if (arg != want)
		return;
	while (*start == ' ' || *start == '\t' || *start == '\n')
		start++;
	if (*start != '"')
		return;
	const char *e = strchr(start + 1, '"');
	if (!e || (size_t)(e - start) >= n)
		return;
	/* A literal followed by more than white space is an expression. */
	for (const char *r = e + 1; r < p && *r != ','; r++)
		if (*r != ' ' && *r != '\t' && *r != '\n')
			return;
	memcpy(code, start + 1, (size_t)(e - start - 1));
	code[e - start - 1] = '\0';
}

NB_TEST(every_code_has_chinese)
{
	glob_t g;
	if (glob("generator/*/*.c", 0, NULL, &g) != 0)
		nb_test_skip("run from the project folder (generator/ not found)");
	int codes = 0;
	for (size_t gi = 0; gi < g.gl_pathc; gi++) {
		const char *path = g.gl_pathv[gi];
		char *src = slurp(path);
		if (!src)
			continue;
		for (size_t r = 0; r < sizeof(reporters) / sizeof(reporters[0]); r++) {
			size_t nl = strlen(reporters[r].name);
			for (const char *p = strstr(src, reporters[r].name); p;
			     p = strstr(p + 1, reporters[r].name)) {
				if (p > src && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z')))
					continue;
				const char *q = p + nl;
				while (*q == ' ')
					q++;
				if (*q != '(')
					continue;
				char code[64];
				code_arg(q, reporters[r].arg, code, sizeof(code));
				if (!code[0])
					continue;
				codes++;
				if (!nb_diag_has_translation(code)) {
					fprintf(stderr, "  %s: code `%s` has no zh-CN entry in generator/util/diag_i18n.c\n",
						path, code);
					NB_T->failed_checks++;
				}
			}
		}
		free(src);
	}
	globfree(&g);
	/* The scan itself must find the codes, or the test proves nothing. */
	NB_CHECK(codes > 60);
}

/* The C string literals starting at p (at its quote) and any adjacent
 * ones, unescaped into out; 0 when p is not a literal. */
static int literal_text(const char *p, nb_buf *out)
{
	if (*p != '"')
		return 0;
	while (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				nb_buf_putc(out, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
			} else {
				nb_buf_putc(out, *p);
			}
		}
		if (*p)
			p++;
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
	}
	return 1;
}

/* A message as the program would make it from `fmt`: each conversion a
 * sample word. */
static void sample(const char *fmt, nb_buf *out)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			nb_buf_putc(out, *p);
			continue;
		}
		if (p[1] == '%') {
			nb_buf_putc(out, '%');
			p++;
			continue;
		}
		p++;
		while (*p && !strchr("diouxXfFeEgGcsp", *p))
			p++;
		nb_buf_puts(out, "x9");
		if (!*p)
			break;
	}
}

static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether c may stand beside a word of running text (not a name such
 * as --global, user.name or GIT_AUTHOR_NAME): a space, Chinese, quotes,
 * brackets, punctuation, the end. */
static int word_edge(char c)
{
	return !c || (unsigned char)c >= 0x80 || strchr(" \"'(),;:?!", c);
}

/* Whether s holds two English words in a row, one space apart (e.g. "the
 * tag"), outside `backquotes`, where commands are quoted as typed; "git
 * config" is a command too. */
static int english_run(const char *s)
{
	int quoted = 0;
	const char *prev_end = NULL;  /* just past the last word */
	for (const char *p = s; *p;) {
		if (*p == '`')
			quoted = !quoted;
		if (!is_letter(*p)) {
			p++;
			continue;
		}
		const char *e = p;
		while (is_letter(*e))
			e++;
		int word = !quoted && e - p >= 2 && (p == s || word_edge(p[-1])) && word_edge(*e);
		if (word && prev_end == p - 1 && *prev_end == ' ' &&
		    (p - s < 4 || strncmp(p - 4, "git config", 10)))
			return 1;
		prev_end = word ? e : NULL;
		p = e;
	}
	return 0;
}

/* Whether `en` reads as Chinese: translated as a whole, not left in
 * English, nor only in part by a shorter entry ("cannot read %s: %s"
 * made "无法读取 the tag") or cut at a shared "or" or ", " (the "@"
 * catalog's pieces for lists): no two English words left in a row. */
static int reads_as_chinese(nb_test_state *nb__t, const char *where, const char *en)
{
	char *zh = nb_diag_translate("zh-CN", "@", en);
	int ok = strcmp(zh, en) && !english_run(zh);
	if (!ok) {
		fprintf(stderr, "  %s: no zh-CN for the audit message `%s` (got `%s`)\n", where,
			en, zh);
		NB_T->failed_checks++;
	}
	free(zh);
	return ok;
}

/* Formats that are not messages of their own: what they are made of is
 * (git_fail's "WHAT: reason", a bare libgit2 message, served.c's
 * "cannot VERB PATH: reason" whose verbs are listed below), or a bug's
 * report to the program's authors. */
static int not_a_message(const char *fmt)
{
	static const char *const skip[] = {
		"%s%s: %s", "%s", "cannot %s %s: %s", "cannot %s: %s",
		"%s: the previous publication's %s public/%.*s (%s) cannot be read: %s",
		"%s site/%s%s (%s) cannot be read: %s",
	};
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcmp(fmt, skip[i]))
			return 1;
	return !strncmp(fmt, "internal error", 14);
}

/*
 * What the record's code says to a publisher or a verifier (a->err,
 * printed by publish, verify, log, diff, history, push and audit) reads
 * in the site's language: every literal message passed to set_err,
 * refuse, git_fail (as "WHAT: reason", and after "I/O error: "), sign_err
 * in generator/audit/ has a Chinese entry. fetch.c's messages are
 * `audit`'s own (its report translates them) and are not read here.
 */
NB_TEST(every_audit_message_has_chinese)
{
	static const char *const names[] = { "set_err", "refuse", "git_fail", "sign_err",
					     "nb_audit_set_err", "nb_audit_refuse" };
	glob_t g;
	if (glob("generator/audit/*.c", 0, NULL, &g) != 0)
		nb_test_skip("run from the project folder (generator/audit/ not found)");
	int messages = 0;
	for (size_t gi = 0; gi < g.gl_pathc; gi++) {
		const char *path = g.gl_pathv[gi];
		if (strstr(path, "/fetch.c"))
			continue;
		char *src = slurp(path);
		for (size_t r = 0; src && r < sizeof(names) / sizeof(names[0]); r++) {
			size_t nl = strlen(names[r]);
			for (const char *p = strstr(src, names[r]); p; p = strstr(p + 1, names[r])) {
				if (p > src && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z')))
					continue;
				if (p[nl] != '(')
					continue;
				/* The message is the second argument. */
				const char *q = p + nl + 1;
				while (*q && *q != ',' && *q != ')' && *q != '"')
					q++;
				if (*q != ',')
					continue;
				for (q++; *q == ' ' || *q == '\t' || *q == '\n';)
					q++;
				nb_buf fmt = NB_BUF_INIT, en = NB_BUF_INIT;
				if (literal_text(q, &fmt) && !not_a_message(nb_buf_cstr(&fmt))) {
					messages++;
					sample(nb_buf_cstr(&fmt), &en);
					if (!strcmp(names[r], "git_fail")) {
						nb_buf_puts(&en, ": x9");
						reads_as_chinese(NB_T, path, nb_buf_cstr(&en));
						nb_buf_clear(&fmt);
						nb_buf_printf(&fmt, "I/O error: %s", nb_buf_cstr(&en));
						nb_buf_clear(&en);
						nb_buf_puts(&en, nb_buf_cstr(&fmt));
					}
					reads_as_chinese(NB_T, path, nb_buf_cstr(&en));
				}
				nb_buf_free(&fmt);
				nb_buf_free(&en);
			}
		}
		free(src);
	}
	globfree(&g);
	NB_CHECK(messages > 60);
	/* What the formats above are made of. */
	static const char *const made[] = {
		"cannot write x9: x9", "cannot copy x9: x9", "cannot read x9: x9",
		"cannot create x9: x9",
		"cannot pack the audit repository's loose objects: x9",
		"cannot open the served copy's objects: x9", "cannot start a pack: x9",
		"cannot write the served copy's new pack: x9",
		"cannot list the audit repository's refs: x9", "cannot read a ref's object: x9",
		"cannot peel a tag: x9", "cannot add a folder to a tree: x9",
		"cannot add a file to a tree: x9",
		"I/O error: the previous publication's page public/x9 (x9) cannot be read: x9",
		"the audit repository is damaged: the previous publication's folder public/x9 (x9) "
		"cannot be read: x9",
		"I/O error: the recorded source site/x9 (x9) cannot be read: x9",
		"the audit repository is damaged: the recorded source site/x9 (x9) cannot be read: x9",
	};
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++)
		reads_as_chinese(NB_T, "generator/audit/served.c", made[i]);
}

/* Past "noticeboard" or "noticeboard CMD" at the start of s: the command
 * as it is typed. */
static const char *past_command(const char *s)
{
	if (strncmp(s, "noticeboard", 11))
		return s;
	s += 11;
	if (*s == ' ')
		for (s++; is_letter(*s);)
			s++;
	return s;
}

/* The next word of s at or after *p (letters, between word edges, outside
 * `backquotes`, at least 4 long): its start and length; 0 at the end. */
static size_t next_word(const char **p, int *quoted, const char *s)
{
	for (const char *q = *p; *q;) {
		if (*q == '`')
			*quoted = !*quoted;
		if (!is_letter(*q)) {
			q++;
			continue;
		}
		const char *e = q;
		while (is_letter(*e))
			e++;
		if (!*quoted && e - q >= 4 && (q == s || word_edge(q[-1])) && word_edge(*e)) {
			*p = q;
			return (size_t)(e - q);
		}
		q = e;
	}
	return 0;
}

/* Whether a word of the English line is left in its translation: a
 * shorter sentence matched and kept part of it ("重建 pub-2：extra: a"). */
static int leftover_word(const char *en, const char *zh)
{
	en = past_command(en);
	zh = past_command(zh);
	int qe = 0;
	size_t n;
	for (const char *p = en; (n = next_word(&p, &qe, en)); p += n) {
		int qz = 0;
		size_t m;
		for (const char *z = zh; (m = next_word(&z, &qz, zh)); z += m)
			if (m == n && !strncmp(z, p, n))
				return 1;
	}
	return 0;
}

/*
 * What verify, diff, log and history tell people, and the usage errors
 * (cli/cli.h nb_cli_print): every string literal passed to nb_cli_print
 * in generator/ is a message of its own, sampled as the program would
 * fill it, and reads as Chinese under the code "report". The command's
 * name after "noticeboard" is typed as it is, so it may stay English.
 */
NB_TEST(every_report_line_has_chinese)
{
	glob_t g;
	if (glob("generator/*/*.c", 0, NULL, &g) != 0)
		nb_test_skip("run from the project folder (generator/ not found)");
	int messages = 0;
	for (size_t gi = 0; gi < g.gl_pathc; gi++) {
		const char *path = g.gl_pathv[gi];
		char *src = slurp(path);
		for (const char *p = src ? strstr(src, "nb_cli_print(") : NULL; p;
		     p = strstr(p + 1, "nb_cli_print(")) {
			if (p > src && (p[-1] == '_' || is_letter(p[-1])))
				continue;
			/* Every literal among the call's arguments. */
			int depth = 0;
			for (const char *q = p + strlen("nb_cli_print("); *q; q++) {
				if (*q == '(') {
					depth++;
				} else if (*q == ')' && depth-- == 0) {
					break;
				} else if (*q == '"') {
					nb_buf fmt = NB_BUF_INIT, en = NB_BUF_INIT;
					literal_text(q, &fmt);
					/* Past the literal and the ones next to it. */
					while (*q == '"') {
						q = skip_literal(q);
						while (*q == ' ' || *q == '\t' || *q == '\n')
							q++;
					}
					q--;
					sample(nb_buf_cstr(&fmt), &en);
					while (en.len && nb_buf_cstr(&en)[en.len - 1] == '\n')
						en.len--, en.ptr[en.len] = '\0';
					messages++;
					char *zh = nb_diag_translate("zh-CN", "report", nb_buf_cstr(&en));
					if (!strcmp(zh, nb_buf_cstr(&en)) || english_run(past_command(zh)) ||
					    leftover_word(nb_buf_cstr(&en), zh)) {
						fprintf(stderr, "  %s: no zh-CN for the report line `%s` "
							"(got `%s`)\n", path, nb_buf_cstr(&en), zh);
						NB_T->failed_checks++;
					}
					free(zh);
					nb_buf_free(&fmt);
					nb_buf_free(&en);
				}
			}
		}
		free(src);
	}
	globfree(&g);
	/* The scan itself must find the lines, or the test proves nothing. */
	NB_CHECK(messages > 40);
}

static void check_zh(nb_test_state *nb__t, const char *code, const char *en, const char *want)
{
	char *got = nb_diag_translate("zh-CN", code, en);
	NB_CHECK_STR(got, want);
	free(got);
}

NB_TEST(translates_with_arguments)
{
	check_zh(NB_T, "field-unknown", "unknown field `atendees`: did you mean `attendees`?",
		 "没有 `atendees` 这个字段：是不是想写 `attendees`？");
	check_zh(NB_T, "field-unknown", "rename it to `attendees`", "改成 `attendees`");
	/* Program-made pieces are translated, nested. */
	check_zh(NB_T, "field-type", "`votes.for` must be a whole number, not text",
		 "`votes.for` 必须是整数，不能是文字");
	check_zh(NB_T, "field-type", "`absent[0]` must be text or a group of fields, not a list",
		 "`absent[0]` 必须是文字或一组字段，不能是列表");
	check_zh(NB_T, "ref-unknown", "`meeting: huaiyin-2024-3` does not name any meeting: did you mean `huaiyin-2024-03`?",
		 "`meeting: huaiyin-2024-3` 不是任何会议的编号：是不是想写 `huaiyin-2024-03`？");
	check_zh(NB_T, "field-date", "`date: 2024-02-30` is not a real date: February 2024 has 29 days",
		 "`date: 2024-02-30` 不是真实的日期：2024年2月只有 29 天");
	check_zh(NB_T, "field-range", "`internal.informed` is 1.5; it must be between 0 and 1",
		 "`internal.informed` 是 1.5；应在 0 到 1 之间");
	check_zh(NB_T, "yaml-syntax", "YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence",
		 "字段部分（YAML）格式错误：没有找到英文逗号“,”或右方括号“]”（解析 [ ] 列表时）");
	/* Two ids one on a case-insensitive server: the hint too. */
	check_zh(NB_T, "id-collision", "ids are unique across the site; content/pages/About.md "
		 "already uses one that differs only by upper and lower case or by how its "
		 "letters are composed — give this document another `id:`",
		 "全站的编号不能重复；content/pages/About.md 用的编号与它只差大小写或字符组合方式"
		 "——请给这个文档另起一个 `id:`");
	/* The entry written for the text wins over a shorter one it also fits. */
	check_zh(NB_T, "config-language", "unsupported language `fr` in `alternates`",
		 "`alternates` 里的语言 `fr` 不受支持");
	/* `build --publication 5` of a record of two: the reason is Chinese too. */
	check_zh(NB_T, "history", "cannot read the publication history: there is no "
		 "publication 5 in ./audit.git (the last is 2)",
		 "无法读取发布记录：./audit.git 里没有第 5 次公示（最后一次是第 2 次）");
	/* A reason the catalog lacks (libgit2's own words) stays as it is. */
	check_zh(NB_T, "history", "cannot read the publication history: failed to resolve path "
		 "'x': No such file or directory",
		 "无法读取发布记录：failed to resolve path 'x': No such file or directory");
	/* A libyaml phrase the catalog lacks stays as it is. */
	check_zh(NB_T, "yaml-syntax", "YAML syntax error: something new while parsing a block mapping",
		 "字段部分（YAML）格式错误：something new（解析字段时）");
}

/* verify's and diff's lines: the most specific sentence wins, what they
 * quote from the record is translated as a piece, paths and numbers stay. */
NB_TEST(report_lines_translate)
{
	check_zh(NB_T, "report", "verified: public is identical to pub-3 (120 files); chain of 3 "
		 "publications unbroken",
		 "核对无误：public 与 pub-3 完全相同（120 个文件）；3 次公示前后相接，没有断裂");
	check_zh(NB_T, "report", "modified: decisions/index.html", "被改动：decisions/index.html");
	check_zh(NB_T, "report", "missing: the folder /srv/public", "缺失：文件夹 /srv/public 不存在");
	check_zh(NB_T, "report", "rebuild pub-3: modified: index.html", "重建 pub-3：被改动：index.html");
	check_zh(NB_T, "report", "broken chain: pub-2 is not an ancestor of pub-3: the history was "
		 "rewritten", "公示链断裂：pub-2 不是 pub-3 的前身：历史被改写了");
	check_zh(NB_T, "report", "4 problems found comparing the record with pub-2",
		 "将记录与 pub-2 比较，发现 4 处问题");
	check_zh(NB_T, "report", "pub-1 → working: 1 documents added, 0 removed, 2 changed; 0 other "
		 "files changed",
		 "pub-1 → 尚未发布的当前内容：新增 1 个文档，删除 0 个，修改 2 个；另有 0 个其他文件有改动");
	check_zh(NB_T, "report", "pub-1 → pub-2: 0 documents added, 1 removed, 0 changed; 3 other "
		 "files changed",
		 "pub-1 → pub-2：新增 0 个文档，删除 1 个，修改 0 个；另有 3 个其他文件有改动");
	/* What rebuild.c says of a publication, quoted after its number. */
	check_zh(NB_T, "report", "rebuild pub-2: its recorded sources do not build: site.yaml:3:1: "
		 "error: x", "重建 pub-2：记录的源文件无法生成网站：site.yaml:3:1: error: x");
	check_zh(NB_T, "report", "rebuild pub-2: its manifest.json records no as_of date",
		 "重建 pub-2：manifest.json 没有记录 as_of 日期");
	/* An English site reads what it read before. */
	char *s = nb_diag_translate("en", "report", "modified: index.html");
	NB_CHECK_STR(s, "modified: index.html");
	free(s);
}

/* A usage error names what was typed, as it was, inside its sentence;
 * the command's name stays as it is typed. */
NB_TEST(usage_errors_translate)
{
	check_zh(NB_T, "report", "noticeboard serve: --as-of wants a real day written YYYY-MM-DD, "
		 "e.g. 2025-03-07; got `today`",
		 "noticeboard serve：--as-of 后面要写真实存在的日期，格式为 `YYYY-MM-DD`，"
		 "例如 2025-03-07；不能是 `today`");
	check_zh(NB_T, "report", "noticeboard serve: --port needs a number from 0 to 65535, got ``",
		 "noticeboard serve：--port 后面要写 0 到 65535 之间的数字，不能是 ``");
	check_zh(NB_T, "report", "noticeboard new: there is no kind `motion`: KIND must be meeting, "
		 "decision, evaluation, charter, page or community",
		 "noticeboard new：没有 `motion` 这种文档；文档类型只能是 `meeting`（会议纪要）、"
		 "`decision`（决议）、`evaluation`（评估）、`charter`（公约）、`page`（页面）或 "
		 "`community`（社区）");
	/* push's own line, with the system's reason in Chinese too. */
	check_zh(NB_T, "@", "cannot run git to push to /srv/m.git: No such file or directory",
		 "无法运行 git，没有推送到 /srv/m.git：文件或文件夹不存在");
	char *s = nb_diag_translate("en", "report", "noticeboard build: --publication wants a "
				    "number or pub-N, got `x`");
	NB_CHECK_STR(s, "noticeboard build: --publication wants a number or pub-N, got `x`");
	free(s);
}

/* A piece quoted from below (ssh-keygen's or the system's words) that
 * merely contains " or " or ", " is not two of the catalog's pieces
 * joined: it stays as it is, not "bad key,或no key". Pieces the catalog
 * knows are still joined in Chinese (translates_with_arguments). */
NB_TEST(free_text_is_not_split_at_or)
{
	check_zh(NB_T, "audit", "signature pub-2: ssh-keygen: bad key, or no key at all",
		 "签名 pub-2：ssh-keygen: bad key, or no key at all");
	check_zh(NB_T, "audit", "signature pub-2: No such file or directory, or worse",
		 "签名 pub-2：No such file or directory, or worse");
}

/* The system's reason, when it is the whole piece, is said in Chinese
 * too: "磁盘空间已满", not "No space left on device", on a full disk. */
NB_TEST(system_reasons_in_chinese)
{
	char en[200];
	snprintf(en, sizeof(en), "cannot write output file: %s", strerror(ENOSPC));
	check_zh(NB_T, "io", en, "无法写入输出文件：磁盘空间已满");
	snprintf(en, sizeof(en), "cannot write public.staging-1/.noticeboard-output: %s",
		 strerror(ENOSPC));
	check_zh(NB_T, "io", en, "无法写入 public.staging-1/.noticeboard-output：磁盘空间已满");
	snprintf(en, sizeof(en), "cannot create public/a: %s", strerror(EACCES));
	check_zh(NB_T, "io", en, "无法创建 public/a：没有权限");
	snprintf(en, sizeof(en), "signature pub-2: %s", strerror(ENOENT));
	check_zh(NB_T, "audit", en, "签名 pub-2：文件或文件夹不存在");
	/* Within other words it stays as it was quoted. */
	snprintf(en, sizeof(en), "cannot read the publication history: failed: %s",
		 strerror(ENOENT));
	char *got = nb_diag_translate("zh-CN", "history", en);
	NB_CHECK_CONTAINS(got, strerror(ENOENT));
	free(got);
	/* English sites read the library's words. */
	got = nb_diag_translate("en", "io", "cannot write output file: No space left on device");
	NB_CHECK_STR(got, "cannot write output file: No space left on device");
	free(got);
}

NB_TEST(secretary_values_stay_as_written)
{
	/* A value the secretary wrote is never looked up as a word. */
	check_zh(NB_T, "field-enum", "`kind: list` is not one of the allowed values",
		 "`kind: list` 不是允许的值");
	check_zh(NB_T, "field-enum", "`kind: text or a list` is not one of the allowed values",
		 "`kind: text or a list` 不是允许的值");
}

NB_TEST(falls_back_to_english)
{
	char *s = nb_diag_translate("zh-CN", "a-code-nobody-translated", "something new broke");
	NB_CHECK_STR(s, "something new broke");
	free(s);
	s = nb_diag_translate("zh-CN", "field-unknown", "a text the catalog has never seen");
	NB_CHECK_STR(s, "a text the catalog has never seen");
	free(s);
	s = nb_diag_translate("en", "field-unknown", "unknown field `a`: did you mean `b`?");
	NB_CHECK_STR(s, "unknown field `a`: did you mean `b`?");
	free(s);
	NB_CHECK(nb_diag_translate("zh-CN", "x", NULL) == NULL);
}

NB_TEST(language_follows_the_site)
{
	nb_diag d;
	nb_diag_init(&d);
	unsetenv("NB_LANG");
	NB_CHECK_STR(nb_diag_language(&d), "zh-CN");
	nb_diag_set_language(&d, "en");
	NB_CHECK_STR(nb_diag_language(&d), "en");
	nb_diag_set_language(&d, "fr");
	NB_CHECK_STR(nb_diag_language(&d), "en");
	setenv("NB_LANG", "zh-CN", 1);
	NB_CHECK_STR(nb_diag_language(&d), "zh-CN");
	unsetenv("NB_LANG");
	/* Merging keeps the language of the list printed. */
	nb_diag sub;
	nb_diag_init(&sub);
	nb_error(&sub, "a.md", 1, 1, "field-unknown", NULL, "x");
	nb_diag_merge(&d, &sub);
	NB_CHECK_STR(nb_diag_language(&d), "en");
	nb_diag_free(&d);
}

NB_TEST_MAIN("test_diag_i18n",
	     NB_CASE(every_code_has_chinese),
	     NB_CASE(every_audit_message_has_chinese),
	     NB_CASE(every_report_line_has_chinese),
	     NB_CASE(translates_with_arguments), NB_CASE(report_lines_translate),
	     NB_CASE(usage_errors_translate),
	     NB_CASE(free_text_is_not_split_at_or), NB_CASE(system_reasons_in_chinese),
	     NB_CASE(secretary_values_stay_as_written),
	     NB_CASE(falls_back_to_english),
	     NB_CASE(language_follows_the_site))
