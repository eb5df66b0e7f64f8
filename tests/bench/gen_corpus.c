/*
 * gen_corpus.c - writes a synthetic noticeboard site for the benchmark.
 *
 *   gen_corpus --seed S --docs N --out DIR
 *
 * The corpus imitates a district's archive: about half meetings carrying
 * 2-6 KB of Chinese minutes (headings, lists, GFM tables), a third
 * decisions taken at those meetings, and the rest evaluations, charter
 * versions and the communities themselves (one per ~500 documents, so
 * 50,000 documents are 100 communities over ten years). Every document is
 * valid for `noticeboard check`: committees of 7-11 with one 主任, votes
 * within the meeting's attendees and results agreeing with the rule,
 * charters at charters/<community>/v<N>.md, evaluation periods unique per
 * community. That is the `wide` shape; `deep` is a district's few
 * communities with long histories (gen_deep), `many` a city's many small
 * communities (one per ten documents, twenty to a street).
 *
 * Output depends only on the seed and N (xorshift64*, no clock, no
 * locale), so two runs compare like with like. It is a test tool: it
 * writes straight to files with stdio and exits on the first I/O error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static unsigned pick(rng *r, unsigned n)
{
	return (unsigned)(next(r) % n);
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "gen_corpus: %s %s: %s\n", what, path, strerror(errno));
	exit(3);
}

static void mkdirs(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0777) && errno != EEXIST)
			die("mkdir", tmp);
		*p = '/';
	}
	if (mkdir(tmp, 0777) && errno != EEXIST)
		die("mkdir", tmp);
}

static FILE *open_doc(const char *root, const char *fmt, ...)
{
	char rel[1024], path[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/content/%s", root, rel);
	char *slash = strrchr(path, '/');
	*slash = 0;
	mkdirs(path);
	*slash = '/';
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write", path);
	return f;
}

static void close_doc(FILE *f)
{
	if (ferror(f) || fclose(f))
		die("write error", "document");
}

/* ---- vocabulary ---- */

static const char *const SURNAMES[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
};
static const char *const GIVEN[] = {
	"建华", "秀珍", "志刚", "丽萍", "德明", "桂芳", "国栋", "淑英", "海涛",
	"保平", "玉兰", "秀云", "明", "杰", "伟", "芳", "军", "静", "磊", "洋",
	"艳", "勇", "娟", "涛", "超", "霞", "平", "刚", "桂英", "文", "华", "敏",
};
static const char *const PLACE[] = {
	"槐荫", "金汇", "田贝", "桂园", "松坪", "荔景", "翠竹", "梧桐", "东湖",
	"西岭", "南苑", "北斗", "清水", "银湖", "莲花", "香蜜", "景田", "华富",
	"园岭", "百花",
};
static const char *const CTYPE[] = {
	"商业区", "商住混合区", "新兴住宅区", "老旧住宅区", "城中村", "插花地",
};
static const char *const PLATFORM[] = {
	"party", "residents-committee", "village-company", "owners-committee",
	"mass-organisations",
};
static const char *const AFFIL[] = {
	"社区党委", "居委会", "社区工作站", "业委会", "物业管理公司",
	"村集体股份公司", "工会", "共青团", "妇联", "社工机构", "人大代表",
	"党代表", "居民代表",
};
static const char *const MKIND[] = {
	"plenary", "coordination", "party-deliberation", "hearing", "other",
};
static const char *const MKIND_ZH[] = {
	"全体会议", "协调会", "党员议事会", "听证会", "现场会",
};
static const char *const CATEGORY[] = {
	"public-order", "opinion", "appeals", "neighbours", "services",
	"mediation", "fire-safety", "sanitation", "security",
};
static const char *const TOPIC[] = {
	"电动自行车集中充电", "老旧楼栋加装电梯", "垃圾分类定时定点投放",
	"停车秩序整治", "楼道杂物清理", "邻里纠纷调解", "独居老人探访",
	"消防通道畅通", "出租屋安全检查", "餐饮油烟治理", "社区议事厅建设",
	"四点半课堂", "公共空间改造", "夜间巡逻", "物业费调整",
};
static const char *const SENT[] = {
	"与会成员围绕议题逐项发表意见，认为应当先充分征求楼栋居民的意见再作决定。",
	"社区工作站通报了前期摸底情况，共走访住户一百余户，收集书面意见三十余条。",
	"物业管理公司表示可以配合实施，但希望明确费用分担办法和日常管理责任。",
	"居民代表提出，方案要照顾老年居民和行动不便的住户，尽量减少对生活的影响。",
	"社区民警介绍了辖区近期的治安和消防形势，建议加强夜间巡查。",
	"业委会成员认为，涉及公共收益的事项应当按月公示收支情况，接受居民监督。",
	"讨论中有成员对实施时间表提出疑问，建议分阶段推进，先试点再推广。",
	"会议要求相关责任人在规定期限内完成，并在下次全体会议上报告进展。",
	"社工机构介绍了在其他社区开展同类工作的经验，供自治会参考。",
	"经过充分协商，与会成员就主要内容达成一致，个别意见记录在案。",
	"楼长们反映，部分租户对相关规定不了解，需要加强宣传和上门告知。",
	"会议同意将方案在各楼栋公示栏张贴七天，公示期满无异议后实施。",
};

static void name(rng *r, char *out, size_t n)
{
	snprintf(out, n, "%s%s", SURNAMES[pick(r, sizeof(SURNAMES) / sizeof(*SURNAMES))],
		 GIVEN[pick(r, sizeof(GIVEN) / sizeof(*GIVEN))]);
}

/* A Chinese numeral for 1..99, as articles are numbered (第十二条). */
static void cn_number(char *out, size_t n, int v)
{
	static const char *const D[] = { "", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
	int tens = v / 10, ones = v % 10;
	if (tens == 0)
		snprintf(out, n, "%s", D[ones]);
	else
		snprintf(out, n, "%s十%s", tens == 1 ? "" : D[tens], D[ones]);
}

#define NSENT (sizeof(SENT) / sizeof(*SENT))
#define NTOPIC (sizeof(TOPIC) / sizeof(*TOPIC))

/* Minutes of roughly `bytes` bytes: sections with paragraphs, a list, and
 * now and then a GFM table, as secretaries write them. */
static void minutes(rng *r, FILE *f, const char *const *agenda, int nag, size_t bytes)
{
	static const char *const NUM[] = { "一", "二", "三", "四", "五", "六" };
	long start = ftell(f), per = (long)bytes / nag;
	for (int a = 0; a < nag; a++) {
		long sec0 = ftell(f);
		fprintf(f, "## %s、%s\n\n", NUM[a], agenda[a]);
		int table = pick(r, 3) == 0;
		while (ftell(f) - sec0 < per - 400) {
			for (int k = 0; k < 3; k++)
				fputs(SENT[pick(r, NSENT)], f);
			fputs("\n\n", f);
			if (pick(r, 4) == 0) {
				for (int k = 0; k < 3; k++)
					fprintf(f, "- %s\n", SENT[pick(r, NSENT)]);
				fputs("\n", f);
			}
		}
		if (table) {
			fputs("| 事项 | 责任方 | 完成时间 |\n|---|---|---|\n", f);
			for (int k = 0; k < 3; k++)
				fprintf(f, "| %s | %s | %u月%u日 |\n", TOPIC[pick(r, NTOPIC)],
					AFFIL[pick(r, sizeof(AFFIL) / sizeof(*AFFIL))],
					1 + pick(r, 12), 1 + pick(r, 28));
			fputs("\n", f);
		}
	}
	(void)start;
	fputs("会议按议程完成各项议题后结束。\n", f);
}

typedef struct community {
	char id[32];
	char zh[64];
	int nmem;
	char members[11][32];
} community;

typedef struct meeting {
	char id[64];
	int nattend;
	char date[24];
} meeting;

/* The writers below are shared by both shapes. Each draws from the
 * generator in a fixed order, and the wide shape's output for a seed must
 * stay byte-identical to earlier versions (so earlier figures remain
 * comparable): do not reorder their pick() calls. */

static void write_site(const char *out, const char *base_url)
{
	mkdirs(out);
	char path[4096];
	snprintf(path, sizeof(path), "%s/site.yaml", out);
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write", path);
	fprintf(f, "title: 基准测试街道社区自治专栏\n"
		   "description: 用于性能测试的合成站点。\n"
		   "language: zh-CN\nbase_url: \"%s\"\noutput: public\n"
		   "params:\n  street: 基准街道\n", base_url);
	close_doc(f);
	f = open_doc(out, "pages/about.md");
	fputs("---\ntitle: \"关于本专栏\"\n---\n\n本专栏公开各社区自治会的会议纪要、决议、公约和评估。\n", f);
	close_doc(f);
}

/* Community number `c`, in 基准街道, or with `per_street` > 0 in street
 * c / per_street (基准1街道, ...). */
static void write_community(rng *r, const char *out, community *cm, long c, long per_street)
{
	char street[64] = "基准街道";
	if (per_street > 0)
		snprintf(street, sizeof(street), "基准%ld街道", c / per_street + 1);
	snprintf(cm->id, sizeof(cm->id), "c%03ld", c);
	snprintf(cm->zh, sizeof(cm->zh), "%s%ld社区",
		 PLACE[c % (long)(sizeof(PLACE) / sizeof(*PLACE))], c);
	cm->nmem = 7 + (int)pick(r, 5);
	for (int k = 0; k < cm->nmem; k++) {
		/* Unique names within a committee: a suffix after collisions. */
		name(r, cm->members[k], sizeof(cm->members[k]));
		for (int j = 0; j < k; j++)
			if (!strcmp(cm->members[j], cm->members[k])) {
				size_t l = strlen(cm->members[k]);
				snprintf(cm->members[k] + l, sizeof(cm->members[k]) - l, "%d", k);
				break;
			}
	}
	FILE *f = open_doc(out, "communities/%s.md", cm->id);
	fprintf(f, "---\ntitle: \"%s\"\nname: \"%s\"\nstreet: \"%s\"\n"
		   "type: \"%s\"\nplatform: \"%s\"\npopulation: %u\ncommittee:\n",
		cm->zh, cm->zh, street, CTYPE[pick(r, 6)], PLATFORM[pick(r, 5)],
		3000 + pick(r, 20000));
	for (int k = 0; k < cm->nmem; k++)
		fprintf(f, "  - {name: \"%s\", role: \"%s\", affiliation: \"%s\"}\n",
			cm->members[k], k == 0 ? "主任" : k < 3 ? "副主任" : "委员",
			AFFIL[pick(r, sizeof(AFFIL) / sizeof(*AFFIL))]);
	fprintf(f, "leaders:\n  - \"%s\"\n---\n\n", cm->members[cm->nmem - 1]);
	fprintf(f, "%s位于%s，是一个用于性能测试的合成社区。\n\n## 自治平台\n\n", cm->zh,
		street);
	for (int k = 0; k < 4; k++)
		fputs(SENT[pick(r, NSENT)], f);
	fputs("\n", f);
	close_doc(f);
}

/* Meeting number `seq` of its community on day `day` counted from 1 January
 * of `year0` (years of 365 days, months of 28 days, so dates stay valid and
 * in order). */
static void write_meeting(rng *r, const char *out, const community *cm, meeting *m,
			  long seq, int year0, long day)
{
	int y = year0 + (int)(day / 365), doy = (int)(day % 365);
	int mon = 1 + doy / 31 % 12, mday = 1 + doy % 28;
	snprintf(m->date, sizeof(m->date), "%04d-%02d-%02d", y, mon, mday);
	snprintf(m->id, sizeof(m->id), "%s-m%05ld", cm->id, seq);
	unsigned kind = pick(r, 5);
	FILE *f = open_doc(out, "meetings/%d/%s.md", y, m->id);
	fprintf(f, "---\ntitle: \"%s%d年第%ld次%s\"\nid: \"%s\"\ncommunity: \"%s\"\n"
		   "kind: \"%s\"\ndate: \"%s\"\nstart: \"19:00\"\nend: \"21:00\"\n"
		   "location: \"%s党群服务中心会议室\"\nchair: \"%s\"\nrecorder: \"%s\"\n"
		   "attendees:\n",
		cm->zh, y, seq + 1, MKIND_ZH[kind], m->id, cm->id, MKIND[kind], m->date,
		cm->zh, cm->members[0], cm->members[1]);
	int absent = (int)pick(r, 3);
	m->nattend = cm->nmem - absent;
	for (int k = 0; k < m->nattend; k++)
		fprintf(f, "  - \"%s\"\n", cm->members[k]);
	if (absent) {
		fputs("absent:\n", f);
		for (int k = m->nattend; k < cm->nmem; k++)
			fprintf(f, "  - {name: \"%s\", reason: \"因事请假\"}\n", cm->members[k]);
	}
	int nag = 2 + (int)pick(r, 3);
	const char *agenda[5];
	fputs("agenda:\n", f);
	for (int k = 0; k < nag; k++) {
		agenda[k] = TOPIC[pick(r, NTOPIC)];
		fprintf(f, "  - \"%s\"\n", agenda[k]);
	}
	fprintf(f, "status: \"approved\"\nsummary: \"讨论了%s等事项。\"\n---\n\n", agenda[0]);
	minutes(r, f, agenda, nag, 2048 + pick(r, 4096));
	close_doc(f);
}

/* Decision number `i` (site-wide, it makes the id) taken at meeting `m` of
 * community `cm`: votes within its attendees, the result agreeing with the
 * rule. */
static void write_decision(rng *r, const char *out, const community *cm, const meeting *m,
			   long i)
{
	int cast = 1 + (int)pick(r, (unsigned)m->nattend);
	int fo = (int)pick(r, (unsigned)cast + 1), ag = (int)pick(r, (unsigned)(cast - fo) + 1);
	int ab = cast - fo - ag;
	const char *rule = pick(r, 4) == 0 ? "two-thirds" : "majority";
	const char *result = fo * 2 > cast ? "adopted" : "rejected";
	if (rule[0] == 't')
		result = fo * 3 >= cast * 2 ? "adopted" : "rejected";
	const char *topic = TOPIC[pick(r, NTOPIC)];
	char resp[32];
	name(r, resp, sizeof(resp));
	FILE *f = open_doc(out, "decisions/%.4s/%s-d%06ld.md", m->date, cm->id, i);
	fprintf(f, "---\ntitle: \"关于%s的决议（%ld）\"\nid: \"%s-d%06ld\"\ncommunity: \"%s\"\n"
		   "meeting: \"%s\"\ndate: \"%s\"\ncategory: \"%s\"\n"
		   "votes: {for: %d, against: %d, abstain: %d}\nrule: \"%s\"\nresult: \"%s\"\n"
		   "responsible: \"%s\"\ndue: \"%.4s-12-31\"\n",
		topic, i, cm->id, i, cm->id, m->id, m->date,
		CATEGORY[pick(r, 9)], fo, ag, ab, rule, result, resp, m->date);
	if (pick(r, 2))
		fprintf(f, "progress:\n  - {date: \"%s\", note: \"已启动实施。\", done: false}\n",
			m->date);
	fprintf(f, "summary: \"%s\"\n---\n\n自治会决定：\n\n", topic);
	for (int k = 1; k <= 3; k++)
		fprintf(f, "%d. %s\n", k, SENT[pick(r, NSENT)]);
	close_doc(f);
}

/* Opens charters/<community>/v<v>.md and writes its front matter; the
 * caller writes the articles. */
static FILE *open_charter(const char *out, const community *cm, long v, const meeting *m)
{
	FILE *f = open_doc(out, "charters/%s/v%ld.md", cm->id, v);
	fprintf(f, "---\ntitle: \"%s自治公约\"\ncommunity: \"%s\"\nversion: %ld\n"
		   "effective: \"%s\"\nadopted_at: \"%s\"\nsignatories:\n",
		cm->zh, cm->id, v, m->date, m->id);
	for (int k = 0; k < cm->nmem; k++)
		fprintf(f, "  - \"%s\"\n", cm->members[k]);
	fputs("---\n\n", f);
	return f;
}

static void write_evaluation(rng *r, const char *out, const community *cm, int y,
			     const char *period)
{
	FILE *f = open_doc(out, "evaluations/%d/%s-%s.md", y, cm->id, period);
	fprintf(f, "---\ntitle: \"%s%s社区自治评估\"\nid: \"%s-e-%s\"\ncommunity: \"%s\"\n"
		   "period: \"%s\"\nassessor: \"基准街道办事处\"\n"
		   "internal: {informed: 0.%02u, participation: 0.%02u, satisfaction: 0.%02u}\n"
		   "survey: {respondents: %u}\n"
		   "external: {complaints: %u, cases: %u, admin_cost: %u, admin_cost_average: 200000}\n"
		   "---\n\n",
		cm->zh, period, cm->id, period, cm->id, period,
		pick(r, 100), pick(r, 100), pick(r, 100), 100 + pick(r, 400),
		pick(r, 50), pick(r, 20), 150000 + pick(r, 100000));
	for (int k = 0; k < 4; k++)
		fputs(SENT[pick(r, NSENT)], f);
	fputs("\n", f);
	close_doc(f);
}

/*
 * ---- the wide shape: many communities, shallow histories ----
 * With `many`, the shape of a city's many small communities: one per ten
 * documents (10,000 documents are 1,000 communities), twenty to a street,
 * each with about four meetings, two decisions, one charter and two
 * evaluations.
 */
static int gen_wide(rng *r, const char *out, long ndocs, int many)
{
	long ncomm = many ? ndocs / 10 : (ndocs + 250) / 500;
	if (ncomm < 2)
		ncomm = 2;
	long nmeet = many ? ndocs * 3 / 10 : ndocs / 2, ndec = many ? ndocs / 5 : ndocs / 3;
	long nchart_per = many ? 1 : 3;
	long nrest = ndocs - nmeet - ndec - ncomm - 1 /* page */ - ncomm * nchart_per;
	if (nrest < 0)
		nrest = 0;
	long neval_per = nrest / ncomm;
	/* The remainder goes to meetings, so the total is exactly ndocs. */
	nmeet += nrest - neval_per * ncomm;

	community *cs = calloc((size_t)ncomm, sizeof(*cs));
	meeting *ms = calloc((size_t)nmeet, sizeof(*ms));
	if (!cs || !ms)
		return 3;

	for (long c = 0; c < ncomm; c++)
		write_community(r, out, &cs[c], c, many ? 20 : 0);

	/* Meetings: round-robin over communities, dates spread over
	 * 2016-2025 in order, so each community's meetings are chronological. */
	for (long i = 0; i < nmeet; i++) {
		long per_comm = nmeet / ncomm + 1, seq = i / ncomm;
		write_meeting(r, out, &cs[i % ncomm], &ms[i], seq, 2016, seq * 3650 / per_comm);
	}

	for (long i = 0; i < ndec; i++) {
		const meeting *m = &ms[pick(r, (unsigned)nmeet)];
		write_decision(r, out, &cs[(long)(m - ms) % ncomm], m, i);
	}

	for (long c = 0; c < ncomm; c++) {
		for (long v = 1; v <= nchart_per; v++) {
			const meeting *m = &ms[c + ncomm * (v - 1) * (nmeet / ncomm / nchart_per)];
			FILE *f = open_charter(out, &cs[c], v, m);
			for (int a = 0; a < 7 + (int)v; a++) {
				char num[16];
				cn_number(num, sizeof(num), a + 1);
				fprintf(f, "## 第%s条 %s\n\n%s%s\n\n", num, TOPIC[(a + c) % NTOPIC],
					SENT[pick(r, NSENT)], SENT[pick(r, NSENT)]);
			}
			close_doc(f);
		}
		/* Periods newest first: 2025, 2025-Q4..Q1, 2024, ... - unique. */
		for (long e = 0; e < neval_per; e++) {
			int y = 2025 - (int)(e / 5), q = (int)(e % 5);
			char period[16];
			if (q == 0)
				snprintf(period, sizeof(period), "%d", y);
			else
				snprintf(period, sizeof(period), "%d-Q%d", y, 5 - q);
			write_evaluation(r, out, &cs[c], y, period);
		}
	}
	free(cs);
	free(ms);
	return 0;
}

/* ---- the deep shape: few communities, long histories ---- */

#define MAX_ARTICLES 40

/* One article of a charter: its heading's topic and its two sentences. */
typedef struct article {
	unsigned topic, s1, s2;
} article;

/* A sentence other than `old`, so a changed article always differs. */
static unsigned other_sentence(rng *r, unsigned old)
{
	return (old + 1 + pick(r, NSENT - 1)) % NSENT;
}

/* The next version of a charter: rewritten (every article's text changed,
 * most headings too) with probability `rewritten` percent, else amended (one
 * to three articles changed, now and then one added). */
static void charter_next(rng *r, article *arts, int *nart, unsigned rewritten)
{
	if (pick(r, 100) < rewritten) {
		for (int a = 0; a < *nart; a++) {
			arts[a].s1 = other_sentence(r, arts[a].s1);
			arts[a].s2 = other_sentence(r, arts[a].s2);
			if (pick(r, 4))
				arts[a].topic = (arts[a].topic + 1 + pick(r, NTOPIC - 1)) % NTOPIC;
		}
		return;
	}
	int nchange = 1 + (int)pick(r, 3);
	for (int k = 0; k < nchange; k++) {
		article *a = &arts[pick(r, (unsigned)*nart)];
		a->s1 = other_sentence(r, a->s1);
	}
	if (*nart < MAX_ARTICLES && pick(r, 5) == 0) {
		arts[*nart] = (article){ pick(r, NTOPIC), pick(r, NSENT), pick(r, NSENT) };
		(*nart)++;
	}
}

/* Documents per community: `d` (at the default ratios, 1,000 of which 500
 * meetings, 50 charter versions, 100 quarterly evaluations, 349 decisions
 * and the community itself). */
static int gen_deep_community(rng *r, const char *out, long c, long d, long *ndec_total,
			      meeting *ms, unsigned rewritten)
{
	community cm;
	write_community(r, out, &cm, c, 0);
	long nmeet = d / 2, nchart = d / 20, neval = d / 10;
	if (nchart < 1)
		nchart = 1;
	long ndec = d - 1 - nmeet - nchart - neval;

	/* Meetings over 25 years, 2001-2025, in order. */
	for (long i = 0; i < nmeet; i++)
		write_meeting(r, out, &cm, &ms[i], i, 2001, i * (25 * 365) / nmeet);

	for (long i = 0; i < ndec; i++)
		write_decision(r, out, &cm, &ms[pick(r, (unsigned)nmeet)], (*ndec_total)++);

	/* Charter versions adopted at meetings spread over the years. */
	article arts[MAX_ARTICLES];
	int nart = 10 + (int)pick(r, 5);
	for (int a = 0; a < nart; a++)
		arts[a] = (article){ (unsigned)(a + c) % NTOPIC, pick(r, NSENT), pick(r, NSENT) };
	for (long v = 1; v <= nchart; v++) {
		if (v > 1)
			charter_next(r, arts, &nart, rewritten);
		FILE *f = open_charter(out, &cm, v, &ms[(v - 1) * nmeet / nchart]);
		for (int a = 0; a < nart; a++) {
			char num[16];
			cn_number(num, sizeof(num), a + 1);
			fprintf(f, "## 第%s条 %s\n\n%s%s\n\n", num, TOPIC[arts[a].topic],
				SENT[arts[a].s1], SENT[arts[a].s2]);
		}
		close_doc(f);
	}

	/* Quarterly evaluations, newest first: 2025-Q4, 2025-Q3, ... */
	for (long e = 0; e < neval; e++) {
		int y = 2025 - (int)(e / 4);
		char period[16];
		snprintf(period, sizeof(period), "%d-Q%d", y, 4 - (int)(e % 4));
		write_evaluation(r, out, &cm, y, period);
	}
	return 0;
}

static int gen_deep(rng *r, const char *out, long ndocs, unsigned rewritten)
{
	long ncomm = ndocs / 1000;
	if (ncomm < 1)
		ncomm = 1;
	long rest = ndocs - 1 /* page */;
	long most = rest / ncomm + 1;
	meeting *ms = calloc((size_t)most, sizeof(*ms));
	if (!ms)
		return 3;
	long ndec = 0;
	for (long c = 0; c < ncomm; c++)
		gen_deep_community(r, out, c, rest / ncomm + (c < rest % ncomm), &ndec, ms,
				   rewritten);
	free(ms);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: gen_corpus [--shape wide|deep|many] [--rewritten PCT] "
			"[--base-url URL] --seed S --docs N(>=20) --out DIR\n"
			"  --rewritten: percentage of charter versions rewritten rather than\n"
			"  amended (deep shape only; default 10)\n"
			"  --base-url: site.yaml's base_url (default \"/\"; an absolute one,\n"
			"  as a published site has, gives every notice a QR code)\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	long ndocs = 1000, rewritten = -1;
	const char *out = NULL, *shape = "wide", *base_url = "/";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--docs") && i + 1 < argc)
			ndocs = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--shape") && i + 1 < argc)
			shape = argv[++i];
		else if (!strcmp(argv[i], "--rewritten") && i + 1 < argc)
			rewritten = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--base-url") && i + 1 < argc)
			base_url = argv[++i];
		else
			return usage();
	}
	int deep = !strcmp(shape, "deep"), many = !strcmp(shape, "many");
	if (!out || ndocs < 20 || (!deep && !many && strcmp(shape, "wide")) ||
	    (!deep && rewritten >= 0) || rewritten > 100 || !*base_url ||
	    strpbrk(base_url, "\"\\\n"))
		return usage();
	rng r = { seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL };
	for (int i = 0; i < 8; i++)
		next(&r);

	write_site(out, base_url);
	if (deep)
		return gen_deep(&r, out, ndocs, rewritten < 0 ? 10 : (unsigned)rewritten);
	return gen_wide(&r, out, ndocs, many);
}
