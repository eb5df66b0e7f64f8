/*
 * newcommunity.c - the text of a new community document; see
 * newcommunity.h.
 *
 * A community is the first document every other one names, so `init` can
 * create it from a secretary's answers and `new community` adds more. Its
 * type and platform are never guessed: a wrong default would publish a
 * wrong fact about the community, so both are asked for and checked here
 * against the schema's values. The committee's names cannot be known: the
 * seven entries (the schema's minimum) carry the roles and affiliations
 * the seed document describes and the placeholder … as names, and the file
 * starts as a draft, so it passes `check` and cannot be published unfilled.
 */
#include "schema/newcommunity.h"

#include <string.h>

#include "load/content.h"
#include "schema/skeleton.h"

const char *const nb_community_types[] = {
	"商业区", "商住混合区", "新兴住宅区", "老旧住宅区", "城中村", "插花地", NULL,
};
const char *const nb_community_platforms[] = {
	"party", "residents-committee", "village-company", "owners-committee",
	"mass-organisations", NULL,
};

static int one_of(const char *v, const char *const *list)
{
	for (; v && *list; list++)
		if (!strcmp(v, *list))
			return 1;
	return 0;
}

static void join(nb_buf *b, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		nb_buf_printf(b, "%s%s", i ? ", " : "", list[i]);
}

static void q(nb_buf *b, const char *s)
{
	nb_skeleton_quote(b, s);
}

int nb_community_answers_check(nb_buf *out, const nb_community_answers *a, int zh)
{
	if (!a->id || !nb_content_id_valid(a->id) || strchr(a->id, '/')) {
		nb_buf_printf(out, zh ? "社区编号 `%s` 不能用：请用字母、数字和 '-'，例如 huaiyin"
				      : "`%s` is not a usable community id: use letters, digits and '-', e.g. huaiyin",
			      a->id ? a->id : "");
		return -1;
	}
	if (!one_of(a->type, nb_community_types)) {
		nb_buf_printf(out, zh ? "社区类型须是以下之一：" : "the community type must be one of: ");
		join(out, nb_community_types);
		return -1;
	}
	if (!one_of(a->platform, nb_community_platforms)) {
		nb_buf_printf(out, zh ? "自治平台须是以下之一：" : "the platform must be one of: ");
		join(out, nb_community_platforms);
		return -1;
	}
	return 0;
}

int nb_community_template(nb_buf *out, const nb_community_answers *a, int zh)
{
	if (nb_community_answers_check(out, a, zh) != 0)
		return -1;
	const char *name = a->name && a->name[0] ? a->name : a->id;
	static const char *const roles[][3] = {
		{ "主任", "社区党委", "chair" },
		{ "副主任", "居委会", "vice-chair" },
		{ "委员", "社区工作站", "member" },
		{ "委员", "业委会", "member" },
		{ "委员", "物业管理公司", "member" },
		{ "委员", "妇联", "member" },
		{ "委员", "居民代表", "member" },
	};
	nb_buf_puts(out, "---\n");
	nb_buf_puts(out, "title: ");
	q(out, name);
	nb_buf_puts(out, zh ? "   # 社区名称\n" : "   # the community's name\n");
	nb_buf_puts(out, "name: ");
	q(out, name);
	nb_buf_puts(out, "\ndraft: true   # ");
	nb_buf_puts(out, zh ? "填好自治会成员的姓名后删除这一行，才会发布\n"
			    : "remove this line once the committee's names are filled in\n");
	if (a->street && a->street[0]) {
		nb_buf_puts(out, "street: ");
		q(out, a->street);
		nb_buf_putc(out, '\n');
	} else {
		nb_buf_puts(out, zh ? "# street: \"\"   # 所属街道\n" : "# street: \"\"   # the street (街道)\n");
	}
	nb_buf_printf(out, "type: \"%s\"   # ", a->type);
	join(out, nb_community_types);
	nb_buf_printf(out, "\nplatform: \"%s\"   # ", a->platform);
	join(out, nb_community_platforms);
	nb_buf_puts(out, zh ? "\ncommittee:   # 自治会成员 7 到 11 人；把 …… 换成姓名，主任只有一位\n"
			    : "\ncommittee:   # 7 to 11 members; replace … with their names; one chair\n");
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		const char *who = i == 0 && a->chair && a->chair[0] ? a->chair
				  : (zh ? "……" : "…");
		nb_buf_puts(out, "  - {name: ");
		q(out, who);
		nb_buf_printf(out, ", role: \"%s\", affiliation: \"%s\"}\n",
			      zh ? roles[i][0] : (i == 0 ? "chair" : roles[i][2]), roles[i][1]);
	}
	nb_buf_puts(out, zh ? "# leaders: []   # 自治带头人\n---\n\n" : "# leaders: []   # self-governance leaders\n---\n\n");
	nb_buf_puts(out, zh ? "社区概况：位置、户数和人口、自治组织……\n"
			    : "The community: where it is, households and residents, its organisations…\n");
	return 0;
}
