/*
 * test_markdown.c - GFM rendering, safety, heading ids, TOC, text, articles.
 */
#include <pthread.h>
#include <string.h>

#include "util/buf.h"
#include "harness.h"
#include "markdown/markdown.h"

/* Render `src`; the caller frees html (and toc/text when asked for). */
static int render(const char *src, int unsafe, nb_buf *html, json_t **toc,
		  nb_buf *text)
{
	nb_markdown_opts o = { unsafe };
	return nb_markdown_render(src, strlen(src), &o, html, toc, text);
}

NB_TEST(gfm_extensions)
{
	nb_buf h = NB_BUF_INIT;
	NB_CHECK(render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new\n\n"
			"see www.example.com\n\n- [ ] todo\n- [x] done\n",
			0, &h, NULL, NULL) == 0);
	NB_CHECK_CONTAINS(h.ptr, "<table>");
	NB_CHECK_CONTAINS(h.ptr, "<th>a</th>");
	NB_CHECK_CONTAINS(h.ptr, "<td>2</td>");
	NB_CHECK_CONTAINS(h.ptr, "<del>old</del>");
	NB_CHECK_CONTAINS(h.ptr, "<a href=\"http://www.example.com\">");
	NB_CHECK_CONTAINS(h.ptr, "<span class=\"task\">\u2610</span> todo");
	NB_CHECK(strstr(h.ptr, "<input") == NULL); /* no unlabelled form control */
	NB_CHECK_CONTAINS(h.ptr, "<span class=\"task task-done\">\u2611</span> done");
	nb_buf_free(&h);
}

NB_TEST(no_smart_punctuation)
{
	nb_buf h = NB_BUF_INIT;
	NB_CHECK(render("他说 \"好\" -- 'x'\n", 0, &h, NULL, NULL) == 0);
	NB_CHECK_CONTAINS(h.ptr, "&quot;好&quot; -- 'x'");
	nb_buf_free(&h);
}

NB_TEST(safe_mode)
{
	const char *src = "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
			  "<h2>raw</h2>\n";
	nb_buf h = NB_BUF_INIT;
	NB_CHECK(render(src, 0, &h, NULL, NULL) == 0);
	NB_CHECK(strstr(h.ptr, "<script") == NULL);
	NB_CHECK(strstr(h.ptr, "javascript:") == NULL);
	NB_CHECK(strstr(h.ptr, "<h2") == NULL);
	NB_CHECK_CONTAINS(h.ptr, "raw HTML omitted");
	nb_buf_free(&h);

	NB_CHECK(render(src, 1, &h, NULL, NULL) == 0);
	NB_CHECK_CONTAINS(h.ptr, "<script>alert(1)</script>");
	/* Raw HTML headings are left alone: ids only go on Markdown ones. */
	NB_CHECK_CONTAINS(h.ptr, "<h2>raw</h2>");
	nb_buf_free(&h);
}

/* With raw HTML on, Markdown links and images still lose the URLs safe mode
 * drops: the site opted in to HTML, not to script in a secretary's link. */
NB_TEST(unsafe_mode_links)
{
	const char *src =
		"[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) "
		"[c](java&#9;script:alert(3)) [d](vbscript:msgbox(4)) "
		"[e](data:text/html;base64,PHNjcmlwdD4=) [f](file:///etc/passwd) "
		"![g](data:image/svg+xml;base64,PHN2Zz4=) ![h](javascript:alert(5)) "
		"<javascript:alert(6)>\n\n"
		"[ok1](https://example.org/a) [ok2](/meetings/) [ok3](javascript-guide.html) "
		"![ok4](data:image/png;base64,iVBORw0K) [ok5](mailto:a@example.org)\n\n"
		"<a href=\"javascript:void(0)\">raw</a>\n";
	for (int unsafe = 0; unsafe <= 1; unsafe++) {
		nb_buf h = NB_BUF_INIT;
		NB_CHECK(render(src, unsafe, &h, NULL, NULL) == 0);
		/* The Markdown paragraphs: everything before the raw one.
		 * (Safe mode writes c's tab as %09, a harmless relative URL;
		 * ours empties it.) */
		char *raw = strstr(h.ptr, "<p><a href=\"javascript:void(0)");
		if (raw)
			*raw = '\0';
		static const char *const bad[] = {
			"=\"javascript:", "=\"JaVaScRiPt:", "=\"vbscript:", "=\"data:text/html",
			"=\"data:image/svg", "=\"file:", "script:alert(3)",
		};
		for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
			NB_CHECK(strstr(h.ptr, bad[i]) == NULL || (unsafe == 0 && i == 6));
		if (raw)
			*raw = '<';
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"\">a</a>");
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"\">b</a>");
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"\">d</a>");
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"\">e</a>");
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"\">f</a>");
		NB_CHECK_CONTAINS(h.ptr, "<img src=\"\" alt=\"h\" />");
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"\">javascript:alert(6)</a>");
		NB_CHECK_CONTAINS(h.ptr, "<img src=\"\" alt=\"g\" />");
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"https://example.org/a\">ok1</a>");
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"/meetings/\">ok2</a>");
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"javascript-guide.html\">ok3</a>");
		NB_CHECK_CONTAINS(h.ptr, "<img src=\"data:image/png;base64,iVBORw0K\" alt=\"ok4\" />");
		NB_CHECK_CONTAINS(h.ptr, "<a href=\"mailto:a@example.org\">ok5</a>");
		/* Raw HTML is the site's own choice: kept as written when on. */
		if (unsafe)
			NB_CHECK_CONTAINS(h.ptr, "<a href=\"javascript:void(0)\">raw</a>");
		nb_buf_free(&h);
	}
}

NB_TEST(heading_ids)
{
	const char *src = "## 第五条 公共秩序\n\n## 一、会议议程\n\n## 一、会议议程\n\n"
			  "### Fire Safety!\n\n## 第十二章总则\n\n## !!!\n\n"
			  "> ## 引用 *标题*\n\n## 第五条 重复\n\n## 第 条\n";
	nb_buf h = NB_BUF_INIT;
	NB_CHECK(render(src, 0, &h, NULL, NULL) == 0);
	NB_CHECK_CONTAINS(h.ptr, "<h2 id=\"第五条\">第五条 公共秩序</h2>");
	NB_CHECK_CONTAINS(h.ptr, "<h2 id=\"一会议议程\">一、会议议程</h2>");
	NB_CHECK_CONTAINS(h.ptr, "<h2 id=\"一会议议程-2\">一、会议议程</h2>");
	NB_CHECK_CONTAINS(h.ptr, "<h3 id=\"fire-safety\">Fire Safety!</h3>");
	NB_CHECK_CONTAINS(h.ptr, "<h2 id=\"第十二章\">");
	NB_CHECK_CONTAINS(h.ptr, "<h2 id=\"section\">!!!</h2>");
	NB_CHECK_CONTAINS(h.ptr, "<blockquote>\n<h2 id=\"引用-标题\">引用 <em>标题</em></h2>");
	NB_CHECK_CONTAINS(h.ptr, "<h2 id=\"第五条-2\">第五条 重复</h2>");
	NB_CHECK_CONTAINS(h.ptr, "<h2 id=\"第-条\">");
	nb_buf_free(&h);
}

NB_TEST(toc)
{
	nb_buf h = NB_BUF_INIT;
	json_t *toc = NULL;
	NB_CHECK(render("# 章程\n\ntext\n\n## 第一条 `名称`\n\n### 细则\n", 0, &h,
			&toc, NULL) == 0);
	char *s = json_dumps(toc, JSON_PRESERVE_ORDER | JSON_COMPACT);
	NB_CHECK_STR(s, "[{\"level\":1,\"id\":\"章程\",\"title\":\"章程\"},"
			"{\"level\":2,\"id\":\"第一条\",\"title\":\"第一条 名称\"},"
			"{\"level\":3,\"id\":\"细则\",\"title\":\"细则\"}]");
	free(s);
	json_decref(toc);
	nb_buf_free(&h);

	NB_CHECK(render("no headings\n", 0, &h, &toc, NULL) == 0);
	NB_CHECK(json_is_array(toc) && json_array_size(toc) == 0);
	json_decref(toc);
	nb_buf_free(&h);
}

NB_TEST(plain_text)
{
	nb_buf h = NB_BUF_INIT, t = NB_BUF_INIT;
	nb_buf_puts(&t, "prefix|");
	NB_CHECK(render("# 标题\n\n第一段**加粗**，\n继续。\nnext\nline\n\n"
			"- item `code`\n\n```\ncode block\n```\n\n<div>\nraw block\n</div>\n\n<b>x</b>y\n",
			0, &h, NULL, &t) == 0);
	/* Chinese line wrap joins without a space; English gets one. */
	NB_CHECK_STR(t.ptr, "prefix|标题\n第一段加粗，继续。 next line\n"
			    "item code\ncode block\nxy");
	nb_buf_free(&h);
	nb_buf_free(&t);
}

NB_TEST(articles)
{
	const char *src = "# 章程\n"             /* file line 10 */
			  "前言不是条文。\n"
			  "\n"
			  "## 第一条 名称\n"      /* 13 */
			  "\n"
			  "本会名称为某某。\n"
			  "\n"
			  "```\n"
			  "## 代码里的不是标题\n"
			  "```\n"
			  "\n"
			  "## 第二条 宗旨 ##\r\n" /* 21 */
			  "宗旨。\n"
			  "### 细则\n"
			  "## 附则\n";           /* 24 */
	json_t *a = nb_markdown_articles(src, strlen(src), 10);
	NB_CHECK(json_array_size(a) == 3);
	json_t *a0 = json_array_get(a, 0), *a1 = json_array_get(a, 1),
	       *a2 = json_array_get(a, 2);
	NB_CHECK_STR(json_string_value(json_object_get(a0, "id")), "第一条");
	NB_CHECK_STR(json_string_value(json_object_get(a0, "title")), "第一条 名称");
	NB_CHECK_STR(json_string_value(json_object_get(a0, "number")), "第一条");
	NB_CHECK(json_integer_value(json_object_get(a0, "line")) == 13);
	NB_CHECK_STR(json_string_value(json_object_get(a0, "text")),
		     "本会名称为某某。\n\n```\n## 代码里的不是标题\n```");
	NB_CHECK_STR(json_string_value(json_object_get(a1, "title")), "第二条 宗旨");
	NB_CHECK(json_integer_value(json_object_get(a1, "line")) == 21);
	NB_CHECK_STR(json_string_value(json_object_get(a1, "text")),
		     "宗旨。\n### 细则");
	NB_CHECK_STR(json_string_value(json_object_get(a2, "id")), "附则");
	NB_CHECK_STR(json_string_value(json_object_get(a2, "number")), "");
	NB_CHECK(json_integer_value(json_object_get(a2, "line")) == 24);
	NB_CHECK_STR(json_string_value(json_object_get(a2, "text")), "");
	json_decref(a);

	a = nb_markdown_articles("no articles here\n", 17, 1);
	NB_CHECK(json_is_array(a) && json_array_size(a) == 0);
	json_decref(a);
}

NB_TEST(init_is_idempotent)
{
	nb_markdown_init();
	nb_markdown_init();
	nb_buf h = NB_BUF_INIT;
	NB_CHECK(render("", 0, &h, NULL, NULL) == 0);
	NB_CHECK_STR(nb_buf_cstr(&h), "");
	nb_buf_free(&h);
}

/* Every inline extension, on four threads at once: cmark-gfm's inline
 * parser shares one table of special characters between all parsers
 * (markdown.c, top comment), and without our lock a parse finishing on one
 * thread made another read ~~struck~~ text and links as plain text. */
static void *render_many(void *arg)
{
	int *failures = arg;
	for (int i = 0; i < 200; i++) {
		nb_buf h = NB_BUF_INIT;
		json_t *toc = NULL;
		if (render("## 第一条 名称\n\n| a |\n|---|\n| 1 |\n\n"
			   "作废 ~~旧方案~~，见 www.example.org 与 https://example.com/x 。\n",
			   i & 1, &h, &toc, NULL) != 0 ||
		    !strstr(h.ptr, "<h2 id=\"第一条\">") || !strstr(h.ptr, "<td>1</td>") ||
		    !strstr(h.ptr, "<del>旧方案</del>") ||
		    !strstr(h.ptr, "<a href=\"http://www.example.org\">") ||
		    !strstr(h.ptr, "<a href=\"https://example.com/x\">"))
			(*failures)++;
		json_decref(toc);
		nb_buf_free(&h);
	}
	return NULL;
}

NB_TEST(threads)
{
	nb_markdown_init();
	pthread_t th[4];
	int failures[4] = { 0, 0, 0, 0 };
	for (int i = 0; i < 4; i++)
		NB_CHECK(pthread_create(&th[i], NULL, render_many, &failures[i]) == 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		NB_CHECK(failures[i] == 0);
	}
}

/* The links the site checks: local files (attachments) and images
 * without alt, at their line and character column; web links, page
 * addresses and fragments are not files. */
NB_TEST(links)
{
	const char *src = "# 标题\n\n见[签到表](signin.pdf)与![](a%20b.jpg)。\n"
			  "[站内](/decisions/) [网](https://x.org/a.pdf) [锚](#top) [页](../x/)\n"
			  "![照片](photo.png) ![](https://x.org/p.png) [邮](mailto:a@b.c)\n";
	nb_buf h = NB_BUF_INIT;
	json_t *links = NULL;
	nb_markdown_opts o = { 0 };
	NB_CHECK(nb_markdown_render_links(src, strlen(src), &o, &h, NULL, NULL, &links) == 0);
	NB_CHECK(json_array_size(links) == 4);
	char *got = json_dumps(links, JSON_COMPACT);
	NB_CHECK_STR(got, "[{\"url\":\"signin.pdf\",\"text\":\"签到表\",\"line\":3,\"col\":2,"
			  "\"image\":false,\"local\":true,\"alt\":true},"
			  "{\"url\":\"a%20b.jpg\",\"text\":\"\",\"line\":3,\"col\":20,"
			  "\"image\":true,\"local\":true,\"alt\":false},"
			  "{\"url\":\"photo.png\",\"text\":\"照片\",\"line\":5,\"col\":1,"
			  "\"image\":true,\"local\":true,\"alt\":true},"
			  "{\"url\":\"https://x.org/p.png\",\"text\":\"\",\"line\":5,\"col\":18,"
			  "\"image\":true,\"local\":false,\"alt\":false}]");
	free(got);
	json_decref(links);
	nb_buf_free(&h);
}

NB_TEST_MAIN("markdown", NB_CASE(gfm_extensions), NB_CASE(no_smart_punctuation),
	     NB_CASE(safe_mode), NB_CASE(unsafe_mode_links), NB_CASE(heading_ids), NB_CASE(toc),
	     NB_CASE(plain_text), NB_CASE(articles), NB_CASE(init_is_idempotent),
	     NB_CASE(threads), NB_CASE(links))
