/*
 * diag_i18n.c - diagnostics in the site's language; see diag.h.
 *
 * Design. Every stage reports in English through nb_error, and keeps
 * doing so: the English text is what the code's authors and its tests
 * read, and a stage never needs to know the site's language. Translation
 * happens once, when a diagnostic is printed, from a catalog keyed by the
 * diagnostic's stable `code`.
 *
 * A catalog entry is the English format the call site used (or the English
 * text a helper builds, e.g. a schema's hint) with each printf conversion
 * read as a wildcard, and a Chinese template that places the captured
 * pieces with %1 … %9 as they are, or with @1 … @9 translated (looked
 * up among the words and phrases under "@"; that is how "a date like
 * 2024-07-12" inside "`date` must be %s" becomes Chinese too). The
 * English text is matched against the entries of its code, then against
 * the hints shared under "*", so a call site needs no second set of
 * arguments, and messages built in pieces (validate.c builds many)
 * translate as well as fixed ones.
 *
 * A code without an entry, or an English text that matches none of its
 * entries, prints in English: a new message added on another branch shows
 * up untranslated, never wrong or missing. tests/test_diag_i18n.c lists
 * every code the sources use and fails when one has no Chinese entry, so
 * missing translations are seen when branches meet.
 *
 * Chinese is written for a secretary, not a programmer: plain words, the
 * field as written in the file, and what to type instead.
 */
#include "util/diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

typedef struct {
	const char *code;  /* the diagnostic code; "*" shared hints, "@" pieces */
	const char *en;    /* English, printf conversions are wildcards */
	const char *zh;    /* Chinese: %1 … %9 the captured pieces as they are,
			    * @1 … @9 looked up among the "@" pieces */
} entry;

static const entry catalog[] = {
	/* ---- shared pieces: words that other messages capture ---- */
	{ "@", "text", "文字" },
	{ "@", "a whole number", "整数" },
	{ "@", "a number", "数字" },
	{ "@", "a number with a decimal point", "小数" },
	{ "@", "true or false", "true 或 false" },
	{ "@", "true/false", "true/false" },
	{ "@", "a date like 2024-07-12", "日期（如 2024-07-12）" },
	{ "@", "a time like 19:30", "时间（如 19:30）" },
	{ "@", "a period like 2024-Q3 or 2024", "期间（如 2024-Q3 或 2024）" },
	{ "@", "a list", "列表" },
	{ "@", "a group of fields", "一组字段" },
	{ "@", "the id of a document", "文档编号（id）" },
	{ "@", "empty", "空值" },
	{ "@", "something else", "其他内容" },
	{ "@", "%s or %s", "@1或@2" },
	{ "@", "%s, %s", "@1、@2" },
	{ "@", "community", "社区" },
	{ "@", "meeting", "会议" },
	{ "@", "decision", "决议" },
	{ "@", "charter", "自治公约" },
	{ "@", "evaluation", "评估" },
	{ "@", "page", "页面" },
	{ "@", "entry", "项" },
	{ "@", "entries", "项" },
	{ "@", "between %s and %s", "在 %1 到 %2 之间" },
	{ "@", "at least %s", "至少 %1" },
	{ "@", "at most %s", "至多 %1" },
	{ "@", "majority", "简单多数" },
	{ "@", "two-thirds", "三分之二" },
	{ "@", "two thirds of the votes cast must be for", "赞成票须达到所投票数的三分之二" },
	{ "@", "more than half of the votes cast must be for", "赞成票须超过所投票数的一半" },
	{ "@", "alias", "别名" },
	{ "@", "list", "列表" },
	{ "@", "mapping", "字段组" },
	{ "@", "the output folder", "输出文件夹" },
	{ "@", "content/, the documents", "存放文档的 content/" },
	{ "@", "static/, the files published as they are", "存放原样发布文件的 static/" },
	{ "@", "themes/, whose files are published and recorded", "其中文件会被发布和记录的 themes/" },
	{ "@", "the output folder's previous generation", "输出文件夹的上一代" },
	{ "@", "the build cache .noticeboard-cache/", "构建缓存 .noticeboard-cache/" },
	{ "@", "January", "1月" },
	{ "@", "February", "2月" },
	{ "@", "March", "3月" },
	{ "@", "April", "4月" },
	{ "@", "May", "5月" },
	{ "@", "June", "6月" },
	{ "@", "July", "7月" },
	{ "@", "August", "8月" },
	{ "@", "September", "9月" },
	{ "@", "October", "10月" },
	{ "@", "November", "11月" },
	{ "@", "December", "12月" },
	{ "@", "a value", "值" },
	{ "@", "chair", "主持人" },
	/* libyaml's problems and contexts, inside yaml-syntax messages */
	{ "@", "%s while parsing a block mapping", "@1（解析字段时）" },
	{ "@", "%s while parsing a block collection", "@1（解析列表时）" },
	{ "@", "%s while parsing a flow sequence", "@1（解析 [ ] 列表时）" },
	{ "@", "%s while parsing a flow mapping", "@1（解析 { } 字段组时）" },
	{ "@", "%s while scanning a simple key", "@1" },
	{ "@", "%s while scanning a quoted scalar", "@1（引号内的值）" },
	{ "@", "%s while scanning a plain scalar", "@1" },
	{ "@", "%s while parsing a block node", "@1" },
	{ "@", "%s while parsing a flow node", "@1" },
	{ "@", "%s while parsing a quoted scalar", "@1（引号内的值）" },
	{ "@", "%s while scanning for the next token", "@1" },
	{ "@", "%s while parsing a node", "@1" },
	{ "@", "%s while scanning a block scalar", "@1（| 或 > 开始的多行文字）" },
	{ "@", "%s while scanning an alias", "@1（别名 *）" },
	{ "@", "%s while scanning an anchor", "@1（锚点 &）" },
	{ "@", "%s while scanning a tag", "@1（标记 !）" },
	{ "@", "%s while parsing a tag", "@1（标记 !）" },
	{ "@", "%s while scanning a directive", "@1（% 开头的指令）" },
	{ "@", "%s while scanning a %%YAML directive", "@1（%%YAML 指令）" },
	{ "@", "%s while scanning a %%TAG directive", "@1（%%TAG 指令）" },
	{ "@", "found unknown escape character", "双引号里的反斜杠 \\ 后面是不认识的字符" },
	{ "@", "did not find expected hexdecimal number",
	  "双引号里的 \\x、\\u 或 \\U 后面应是十六进制数字" },
	{ "@", "found invalid Unicode character escape code",
	  "双引号里的 \\u 或 \\U 不是有效的字符编号" },
	{ "@", "found incompatible YAML document", "不支持这个版本的 YAML（%%YAML 指令）" },
	{ "@", "found unknown directive name", "不认识这个 % 开头的指令" },
	{ "@", "found undefined tag handle", "标记 ! 的前缀没有定义" },
	{ "@", "found unexpected document indicator", "值里出现了文档分隔线 --- 或 ..." },
	{ "@", "block sequence entries are not allowed in this context",
	  "这里不能出现“- ”开头的列表项" },
	{ "@", "mapping keys are not allowed in this context", "这里不能出现字段名" },
	{ "@", "control characters are not allowed", "文件里有不可见的控制字符" },
	{ "@", "found an indentation indicator equal to 0", "| 或 > 后面表示缩进的数字不能是 0" },
	{ "@", "did not find expected comment or line break", "这里应是注释（#）或换行" },
	{ "@", "did not find expected whitespace or line break", "这里应是空格或换行" },
	{ "@", "did not find expected alphabetic or numeric character",
	  "别名或锚点的名称应以字母或数字开头" },
	{ "@", "found a tab character where an indentation space is expected", "缩进里有 Tab 键" },
	{ "@", "did not find expected <document start>", "这里应是新文档的开始（---）" },
	{ "@", "did not find expected key", "这里应是新的字段名，却出现了其他内容" },
	{ "@", "could not find expected ':'", "没有找到冒号“:”" },
	{ "@", "did not find expected ',' or ']'", "没有找到英文逗号“,”或右方括号“]”" },
	{ "@", "did not find expected ',' or '}'", "没有找到英文逗号“,”或右花括号“}”" },
	{ "@", "mapping values are not allowed in this context", "这里不能出现“名称: 值”" },
	{ "@", "found character that cannot start any token", "出现了不能放在这里的字符" },
	{ "@", "found unexpected end of stream", "引号或括号没有结束，文件就结束了" },
	{ "@", "did not find expected node content", "这里缺少值" },
	{ "@", "did not find expected '-' indicator", "缩进不对：列表各项要以“- ”开头并对齐" },
	{ "@", "found a tab character that violates indentation", "缩进里有 Tab 键" },
	{ "@", "recorder", "记录人" },
	/* ---- hints from the schemas (generator/schemas/<kind>.yaml), shared by
	 * every code a field's error may have ---- */
	{ "*", "every document needs a title, e.g. title: \"%s\"",
	  "每个文档都要有标题，例如 title: \"%1\"" },
	{ "*", "the date the document was last amended, e.g. updated: \"%s\"; feeds and the sitemap use it",
	  "填写文档最后修改的日期，例如 updated: \"%1\"；订阅和网站地图会用到它" },
	{ "*", "the self-governance committee (自治会) has 7 to 11 members; add or remove members",
	  "自治会应有 7 到 11 名成员；请增加或删减成员" },
	{ "*", "write a rate as a fraction between 0 and 1, e.g. %s for %s",
	  "比率写成 0 到 1 之间的小数，例如 %2 写成 %1" },
	{ "*", "write a name, e.g. - \"%s\", or a name with the reason, e.g. - {name: \"%s\", reason: \"%s\"}",
	  "写姓名，例如 - \"%1\"；或写姓名和原因，例如 - {name: \"%2\", reason: \"%3\"}" },

	/* ---- site.yaml and the output folder ---- */
	{ "output-invalid", "cannot create the output folder's parent %s: %s",
	  "无法创建输出文件夹的上级文件夹 %1：%2" },
	{ "output-unrecorded",
	  "%s served a publication; this build replaced it with pages no publication recorded: residents read them now, and `verify` and auditors report the difference",
	  "%1 原来是一次公示的内容；这次生成已把它换成了没有记录在案的页面：居民现在看到的是这些页面，`verify` 和审计者会报告两者不符" },
	{ "output-unrecorded",
	  "run `noticeboard publish` to record and serve the site; to preview without touching what is served, use `noticeboard serve` or `build -o` another folder",
	  "请运行 `noticeboard publish` 记录并发布网站；只想预览而不改动对外提供的网站，请用 `noticeboard serve`，或用 `build -o` 生成到另一个文件夹" },
	{ "output-invalid", "output folder %s would overwrite the site's own files",
	  "输出文件夹 %1 会覆盖网站自己的文件" },
	{ "output-invalid", "set `output:` to a folder of its own, e.g. `public`",
	  "把 `output:` 设为单独的文件夹，例如 `public`" },
	{ "output-invalid", "output %s is a symbolic link; noticeboard replaces the folder it builds, not what a link points to",
	  "输出位置 %1 是一个符号链接；本程序替换的是它生成的文件夹本身，而不是链接指向的文件夹" },
	{ "output-invalid", "set `output:` (or -o) to the folder the link points to",
	  "请把 `output:`（或 -o）设为链接指向的那个文件夹" },
	{ "output-invalid", "output %s is a file, not a folder",
	  "输出位置 %1 是一个文件，不是文件夹" },
	{ "output-invalid", "choose a folder for the output, e.g. `public`",
	  "请为输出选一个文件夹，例如 `public`" },
	{ "output-foreign", "output folder %s holds files noticeboard did not write",
	  "输出文件夹 %1 里有不是本程序生成的文件" },
	{ "output-foreign", "move those files away or choose another `output:`; noticeboard only replaces folders it created",
	  "请把这些文件移走，或换一个 `output:`；本程序只替换自己创建的文件夹" },
	{ "config-unknown-key", "unknown setting `%s`: did you mean `%s`?",
	  "没有 `%1` 这个设置：是不是想写 `%2`？" },
	{ "config-unknown-key", "rename it to `%s`", "改成 `%1`" },
	{ "config-unknown-key", "unknown setting `%s` is ignored", "没有 `%1` 这个设置，已忽略" },
	{ "config-unknown-key", "values for templates belong under `params:`",
	  "给模板用的值请写在 `params:` 下面" },
	{ "config-unknown-key", "unknown setting `%s` in `%s`", "`%2` 里没有 `%1` 这个设置" },
	{ "config-unknown-key", "remove it; `%s` takes %s", "请删除这一行；`%1` 可用的设置有 %2" },
	{ "config-type", "`%s` must be text", "`%1` 必须是文字" },
	{ "config-type", "write it as text, in quotes if it looks like a number",
	  "写成文字；如果看起来像数字，请加引号" },
	{ "config-type", "`%s` must be a whole number of at least %s", "`%1` 必须是不小于 %2 的整数" },
	{ "config-type", "write a plain number without quotes or units, or remove the line for the default",
	  "只写数字，不加引号和单位；或删除这一行，使用默认值" },
	{ "config-type", "`params` must be a mapping of names to values", "`params` 必须是“名称: 值”的字段组" },
	{ "config-type", "indent its values under `params:`, one `name: value` a line",
	  "请在 `params:` 下面缩进，每行写一个“名称: 值”" },
	{ "config-type", "`alternates.%s` must be a URL", "`alternates.%1` 必须是网址" },
	{ "config-type", "`audit.serve` must be true or false", "`audit.serve` 必须是 true 或 false" },
	{ "config-type", "write true or false", "请写 true 或 false" },
	{ "config-type", "`audit.mirror` must be an http:// or https:// URL",
	  "`audit.mirror` 必须是以 http:// 或 https:// 开头的网址" },
	{ "config-type", "write the full address git clones from, e.g. `mirror: https://example.org/audit.git`, or remove the line",
	  "请写出 git 可以克隆的完整地址，例如 `mirror: https://example.org/audit.git`，或删除这一行" },
	{ "config-type", "give the URL of that language's build, e.g. `en: /en/`",
	  "写该语言版本的网址，例如 `en: /en/`" },
	{ "config-type", "`alternates` must be a mapping of languages to URLs",
	  "`alternates` 必须写成“语言: 网址”" },
	{ "config-type", "`pagination` must be a mapping", "`pagination` 必须是字段组" },
	{ "config-type", "write it as a mapping, e.g. `pagination: {page_size: 20}`",
	  "写成字段组，例如 `pagination: {page_size: 20}`" },
	{ "config-type", "`contact` must be a mapping of phone, address and hours",
	  "`contact` 必须是包含 phone、address、hours 的字段组" },
	{ "config-type", "write it as a mapping with `phone:`, `address:` and `hours:` lines "
	  "indented under `contact:`",
	  "写成字段组：在 `contact:` 下面缩进，分行写 `phone:`、`address:` 和 `hours:`" },
	{ "config-type", "`allow_active_content` must be true or false",
	  "`allow_active_content` 必须是 true 或 false" },
	{ "config-type", "write it as a mapping, e.g. `alternates: {en: /en/}`",
	  "写成字段组，例如 `alternates: {en: /en/}`" },
	{ "config-type", "`audit.mirrors` must be a list of paths or URLs",
	  "`audit.mirrors` 必须是路径或网址的列表" },
	{ "config-type", "write one per line under `mirrors:`, each after `- `, "
	  "e.g. `mirrors: [/mnt/backup/audit.git]`",
	  "在 `mirrors:` 下面每行写一个，以 `- ` 开头，例如 `mirrors: [/mnt/backup/audit.git]`" },
	{ "config-type", "each of `audit.mirrors` must be a path or URL",
	  "`audit.mirrors` 的每一项都必须是路径或网址" },
	{ "config-type", "write the path or ssh URL of a git repository, e.g. "
	  "`- git@example.org:hl/audit.git`",
	  "请写 git 仓库的路径或 ssh 网址，例如 `- git@example.org:hl/audit.git`" },
	{ "config-type", "`%s` must be a mapping of settings", "`%1` 下面应是一组设置（字段组）" },
	{ "config-type", "indent its settings under `%s:`, e.g. `%s`",
	  "请在 `%1:` 下面缩进写各项设置，例如 `%2`" },
	{ "config-type", "`unsafe_html` must be true or false", "`unsafe_html` 必须是 true 或 false" },
	{ "config-missing", "no site.yaml in %s", "%1 里没有 site.yaml" },
	{ "config-missing", "run `noticeboard init DIR` to create a new site, or pass the site folder with -s DIR",
	  "运行 `noticeboard init 文件夹` 新建网站，或用 -s 文件夹 指定网站所在的文件夹" },
	{ "config-language", "unsupported language `%s`", "不支持语言 `%1`" },
	{ "config-language", "use `zh-CN` (Chinese, the default) or `en` (English)",
	  "请用 `zh-CN`（中文，默认）或 `en`（英文）" },
	{ "config-language", "unsupported language `%s` in `alternates`", "`alternates` 里的语言 `%1` 不受支持" },
	{ "config-language", "use `zh-CN` or `en` as the key, e.g. `alternates: {en: /en/}`",
	  "键请用 `zh-CN` 或 `en`，例如 `alternates: {en: /en/}`" },
	{ "config-base-url", "`base_url` must begin with https://, http:// or /",
	  "`base_url` 必须以 https://、http:// 或 / 开头" },
	{ "config-base-url", "write the full address, e.g. `base_url: https://example.org/shequ/`, "
	  "or the path from the server's root, e.g. `/shequ/`",
	  "请写完整网址，例如 `base_url: https://example.org/shequ/`，"
	  "或从网站根目录开始的路径，例如 `/shequ/`" },
	{ "config-theme", "theme `%s` is not a plain name", "主题名 `%1` 不是简单的名称" },
	{ "config-theme", "give the name of a folder under themes/", "写 themes/ 下某个文件夹的名称" },

	/* ---- reading files ---- */
	{ "io", "cannot create %s: %s", "无法创建 %1：%2" },
	{ "io", "cannot write %s: %s", "无法写入 %1：%2" },
	{ "io", "cannot replace %s: %s", "无法替换 %1：%2" },
	{ "io", "cannot delete the previous output (now at %s): %s", "无法删除上一次的输出（现在在 %1）：%2" },
	{ "io", "delete it by hand; the new site is already served", "请手动删除；新网站已经生效" },
	{ "io", "cannot read %s: %s", "无法读取 %1：%2" },
	{ "io", "cannot read file: %s", "无法读取文件：%1" },
	{ "io", "cannot read content/: %s", "无法读取 content/：%1" },
	{ "io", "cannot read the document's body from the build cache: %s", "无法从构建缓存读回文档正文：%1" },
	{ "io", "build again; if it recurs, delete .noticeboard-cache",
	  "请重新构建；如果再次出现，删除 .noticeboard-cache 文件夹" },
	{ "io", "cannot write output file: %s", "无法写入输出文件：%1" },
	{ "io", "cannot rewrite output file: %s", "无法改写输出文件：%1" },
	{ "io", "check free disk space and permissions", "请检查磁盘空间和权限" },
	{ "io", "cannot read theme file: %s", "无法读取主题文件：%1" },
	{ "io", "cannot read: %s", "无法读取：%1" },
	{ "io", "cannot read the page to check its links: %s", "无法读取页面以检查链接：%1" },
	{ "io", "cannot delete a file the site no longer has: %s", "无法删除网站已不再需要的文件：%1" },
	{ "io", "check the output folder's permissions", "请检查输出文件夹的权限" },
	{ "io", "cannot read the previous output %s: %s", "无法读取上一次的输出 %1：%2" },
	{ "io", "delete the folder by hand and build again", "请手动删除该文件夹后重新构建" },
	{ "file-too-large", "file is larger than the limit of %s bytes", "文件超过了 %1 字节的上限" },
	{ "file-too-large", "split the document, or raise limits.file_size in site.yaml",
	  "把文档拆开，或在 site.yaml 里调大 limits.file_size" },
	{ "utf8", "the file is not valid UTF-8 text (or holds a NUL byte)",
	  "文件不是有效的 UTF-8 文本（或含有 NUL 字节）" },
	{ "utf8", "save the file as UTF-8 (in most editors: Save with encoding → UTF-8)",
	  "请把文件另存为 UTF-8 编码（多数编辑器：另存为 → 编码选 UTF-8）" },
	{ "utf8-invalid", "invalid UTF-8 or NUL byte in YAML", "字段部分有无效的 UTF-8 字符或 NUL 字节" },
	{ "utf8-invalid", "save the file as UTF-8 and remove control characters",
	  "请把文件另存为 UTF-8 编码，并删除控制字符" },
	{ "id-type", "`id` must be text", "`id` 必须是文字" },
	{ "id-type", "write the id as text, e.g. id: \"%s\"", "把编号写成文字，例如 id: \"%1\"" },
	{ "id-invalid", "id `%s` cannot be used as a web address", "编号 `%1` 不能用作网址" },
	{ "id-invalid", "use letters, digits, '-', '_' and '.', with '/' between parts; no '..', no leading '/' or '.'",
	  "只用字母、数字、'-'、'_' 和 '.'，各部分之间用 '/'；不能有 '..'，不能以 '/' 或 '.' 开头" },
	{ "content-missing", "the site has no content/ folder", "网站没有 content/ 文件夹" },
	{ "content-missing", "create a content/ folder beside site.yaml, or run `noticeboard init`",
	  "在 site.yaml 旁边建一个 content/ 文件夹，或运行 `noticeboard init`" },
	{ "symlink-escape", "symbolic link points outside content/; it is not published",
	  "这个符号链接指向 content/ 之外，不会发布" },
	{ "symlink-escape", "copy the file into content/ instead of linking to it",
	  "请把文件复制到 content/ 里，不要用链接" },
	{ "id-duplicate", "duplicate id `%s`", "编号 `%1` 重复" },
	{ "id-duplicate", "ids are unique across the site; %s already uses it — give this document another `id:`",
	  "全站的编号不能重复；%1 已经用了它——请给这个文档另起一个 `id:`" },
	{ "frontmatter-unterminated", "front matter starts with --- on line 1 but is never closed",
	  "第1行用 --- 开始了字段部分，但没有结束的 ---" },
	{ "frontmatter-unterminated", "add a line with only --- after the last front-matter field",
	  "在最后一个字段后面加一行，只写 ---" },
	{ "history", "cannot read the publication history: %s", "无法读取发布记录：%1" },
	/* Its own reasons; libgit2's stay as they are (a piece would turn
	 * "No such file or directory" into "No such file或directory"). */
	{ "history", "cannot read the publication history: there is no publication %zu in %s (the last is %zu)",
	  "无法读取发布记录：%2 里没有第 %1 次公示（最后一次是第 %3 次）" },
	{ "history", "give --audit-repo the publications' bare repository and --publication a number `noticeboard log` lists",
	  "--audit-repo 请给发布记录的仓库，--publication 请给 `noticeboard log` 列出的编号" },
	{ "history", "the site is built without its publication history: %s", "网站构建时没有带上发布记录：%1" },
	{ "history", "`noticeboard verify` says what is wrong with the audit repository",
	  "运行 `noticeboard verify` 查看审计仓库的问题" },
	{ "history", "cannot read publication %zu's pages, which publication %zu keeps: %s",
	  "无法读取第%1次公示的页面，第%2次公示要沿用其中没有改动的页面：%3" },
	{ "history", "cannot read this page as the previous publication served it: %s",
	  "无法读取上一次公示发布的这个页面：@1" },
	{ "io", "cannot read this page as the previous publication served it: %s",
	  "无法读取上一次公示发布的这个页面：@1" },
	{ "io", "check the disk that holds the audit repository, then publish again",
	  "请检查存放审计仓库的磁盘，然后再发布" },
	{ "publication-untagged", "publication %zu is recorded (commit %.12s) but not tagged pub-%zu: a publish stopped between the two; the next `publish` adds the tag, and serves it when nothing changed since",
	  "第%1次公示已记录（提交 %2），但还没有 pub-%3 标签：上一次发布在这两步之间中断了；下一次 `publish` 会补上标签，此后若没有改动还会把它发布出去" },
	{ "publication-untagged", "run `noticeboard publish`: it tags the publication first",
	  "运行 `noticeboard publish`：它会先补上标签" },
	{ "publication-untagged", "the branch ends in commit %.12s, which says it is publication %zu but is not signed with this site's key (%s): noticeboard did not make it, and `publish` will refuse to tag it",
	  "分支末端的提交 %1 自称第%2次公示，但没有用本网站的密钥签名（%3）：它不是 noticeboard 生成的，`publish` 会拒绝为它加标签" },
	{ "publication-untagged", "find who put it there; restore the branch to the last tagged publication",
	  "查明是谁放上去的，并把分支恢复到最后一个有标签的公示" },
	{ "history", "`noticeboard verify` lists what is damaged in the audit repository; restore it from a mirror or a backup, then publish again",
	  "运行 `noticeboard verify` 查看审计仓库哪里损坏了；请从镜像或备份恢复审计仓库，然后再发布" },
	{ "@", "the audit repository is damaged: the previous publication's %s public/%s (%s) cannot be read: %s",
	  "审计仓库已损坏：上一次公示的@1 public/%2（%3）读不出来：%4" },
	{ "@", "I/O error: the previous publication's %s public/%s (%s) cannot be read: %s",
	  "磁盘读取错误：上一次公示的@1 public/%2（%3）读不出来：%4" },
	{ "@", "cannot read the previous publication's page %s: %s", "无法读取上一次公示的页面 %1：%2" },

	/* ---- themes and templates (for whoever maintains the theme) ---- */
	{ "template-syntax", "%s", "模板语法错误：%1" },
	{ "template-syntax", "unclosed tag %s", "模板语法错误：标签 %1 没有结束" },
	{ "template-syntax", "close the tag with %s", "请用 %1 结束这个标签" },
	{ "template-syntax", "unclosed section %s", "模板语法错误：区块 %1 没有结束" },
	{ "template-syntax", "close the section with %s", "请用 %1 结束这个区块" },
	{ "template-syntax", "unclosed inverted section %s", "模板语法错误：反向区块 %1 没有结束" },
	{ "template-syntax", "close the inverted section with %s", "请用 %1 结束这个反向区块" },
	{ "template-syntax", "unclosed parent %s", "模板语法错误：父模板标签 %1 没有结束" },
	{ "template-syntax", "close the parent with %s", "请用 %1 结束这个父模板标签" },
	{ "template-syntax", "unclosed block %s", "模板语法错误：可替换块 %1 没有结束" },
	{ "template-syntax", "close the block with %s", "请用 %1 结束这个可替换块" },
	{ "template-syntax", "%s closes a section that was never opened",
	  "模板语法错误：%1 要结束的区块从来没有开始过" },
	{ "template-syntax", "remove it, or open the section with %s before it",
	  "请删除它，或在它前面用 %1 开始这个区块" },
	{ "template-syntax", "%s does not match %s opened at line %d",
	  "模板语法错误：%1 与第 %3 行开始的 %2 不配对" },
	{ "template-syntax", "close %s with %s first", "请先用 %2 结束 %1" },
	{ "template-syntax", "bad delimiter change %s", "模板语法错误：分隔符的改法不对：%1" },
	{ "template-syntax", "write it as %s: two delimiters without '=', separated by a space",
	  "请写成 %1：两个不含 '=' 的分隔符，中间用空格隔开" },
	{ "template-syntax", "empty tag %s", "模板语法错误：标签 %1 里没有名称" },
	{ "template-syntax", "put a name inside the tag, e.g. %s", "请在标签里写上名称，例如 %1" },
	{ "template-syntax", "tag name \"%s\" contains a space", "模板语法错误：标签名 \"%1\" 里有空格" },
	{ "template-syntax", "names cannot contain spaces; did you mean %s?",
	  "名称里不能有空格；是不是想写 %1？" },
	{ "template-syntax", "bad name \"%s\"", "模板语法错误：名称 \"%1\" 写法不对" },
	{ "template-syntax", "use \".\" alone, or names joined by single dots like page.title",
	  "请单独写一个 \".\"，或用单个点连接名称，例如 page.title" },
	{ "template-syntax", "sections nested more than %d deep", "模板语法错误：区块嵌套超过 %1 层" },
	{ "template-syntax", "close some sections before opening more",
	  "请先结束一些区块，再开始新的区块" },
	{ "template-depth", "templates nested more than %s deep at %s%s%s}} (a template that includes itself without end?)",
	  "模板嵌套超过 %1 层，在 %2%3%4}} 处（是不是模板无限地包含了自己？）" },
	{ "template-missing", "no template named \"%s\"", "没有名为 \"%1\" 的模板" },
	{ "template-missing", "check the layout name, and that the theme has a file for it",
	  "请检查布局名称，以及主题里是否有对应的文件" },
	{ "template-partial-missing", "the theme has no template `%s`; this tag shows nothing",
	  "主题里没有名为 `%1` 的模板；这个标签什么也不会显示" },
	{ "template-partial-missing", "did you mean `%s`?", "是不是想写 `%1`？" },
	{ "template-partial-missing", "add partials/%s.mustache to the theme, or remove the tag",
	  "请在主题里加上 partials/%1.mustache，或者删掉这个标签" },
	{ "link-broken", "internal link to %s does not resolve to any page", "站内链接 %1 指向的页面不存在" },
	{ "link-broken", "fix the link in the document or template that produced it",
	  "请改正产生这个链接的文档或模板" },
	{ "layout-unknown", "unknown layout `%s` in theme %s", "主题 %2 里没有布局 `%1`" },
	{ "layout-unknown", "use one of the theme's layouts (see themes/default/README.md) or remove `layout:`",
	  "请用主题已有的布局（见 themes/default/README.md），或删除 `layout:`" },
	{ "theme-unknown", "unknown theme `%s`: there is no themes/%s/ folder", "没有主题 `%1`：找不到 themes/%2/ 文件夹" },
	{ "theme-unknown", "create themes/<name>/ in the site folder, or remove `theme:` to use the built-in `default` theme",
	  "在网站文件夹里建 themes/<名称>/，或删除 `theme:` 使用内置的 `default` 主题" },
	{ "theme-name-clash", "template name `%s` is also used by %s", "模板名 `%1` 也被 %2 使用" },
	{ "theme-name-clash", "layouts and partials share one namespace; rename one of them",
	  "布局和片段共用一套名称；请给其中一个改名" },
	{ "theme-i18n", "theme has no interface strings for `%s`", "主题没有 `%1` 的界面文字" },
	{ "theme-i18n", "add i18n/<language>.yaml to the theme", "请在主题里加上 i18n/<语言>.yaml" },
	{ "theme-layout-missing", "theme has no layouts/%s.mustache", "主题缺少 layouts/%1.mustache" },
	{ "theme-layout-missing", "every theme needs layouts base, home, list, page and 404",
	  "每个主题都需要 base、home、list、page 和 404 这几个布局" },
	{ "schema-invalid", "%s", "字段定义（schema）有误：%1" },

	/* ---- YAML ---- */
	{ "yaml-syntax", "YAML syntax error: %s", "字段部分（YAML）格式错误：@1" },
	{ "yaml-syntax", "save the file as UTF-8", "请把文件另存为 UTF-8 编码" },
	{ "yaml-syntax", "unexpected YAML event %s", "YAML 解析出现意外情况（%1）" },
	{ "yaml-syntax", "YAML does not allow tabs for indentation; use spaces",
	  "YAML 不允许用 Tab 键缩进；请改用空格" },
	{ "yaml-syntax", "YAML keeps @, ` and % for itself at the start of a value; put the whole value in quotes, e.g. title: \"@value\"",
	  "YAML 不允许值以 @、` 或 % 开头；请把整个值用引号括起来，例如 title: \"@标题\"" },
	{ "yaml-syntax", "a quoted value is missing its closing quote; add the matching \" or ' at the end of the value",
	  "引号没有配对：请在值的末尾补上对应的 \" 或 '" },
	{ "yaml-syntax", "a value contains ': ' (colon and space) where YAML does not expect a new field; put the whole value in quotes, or check the indentation of this line",
	  "值里面有“冒号加空格”，被当成了新字段；请把整个值用引号括起来，或检查这一行的缩进" },
	{ "yaml-syntax", "every field needs a colon followed by a space, like `title: value`",
	  "每个字段都要有冒号，冒号后面再加一个空格，例如 `title: 标题`" },
	{ "yaml-syntax", "a [ or { list is not closed, or its items are not separated by commas; add the missing , ] or }",
	  "[ 或 { 开始的列表没有结束，或各项之间没有用英文逗号分开；请补上缺少的 , ] 或 }" },
	{ "yaml-syntax", "check the indentation of this line; YAML uses spaces, and items of one list must line up",
	  "请检查这一行的缩进：YAML 用空格缩进，同一列表的各项要对齐" },
	{ "yaml-syntax", "inside double quotes a backslash starts an escape like \\n; write \\\\ for a backslash, or use single quotes",
	  "双引号里的反斜杠 \\ 表示转义（如 \\n）：反斜杠本身要写成 \\\\，或改用单引号把值括起来" },
	{ "yaml-syntax", "check this line and the one before it for a missing colon, an unclosed quote or wrong indentation",
	  "请检查这一行和上一行：是否缺少冒号、引号没有配对或缩进不对" },
	{ "yaml-fullwidth-colon", "full-width colon `：` after `%s`: YAML needs an ASCII colon",
	  "`%1` 后面用了全角冒号“：”：字段名后面要用英文半角冒号“:”" },
	{ "yaml-fullwidth-colon", "write `%s: …` with an ASCII colon and a space after it, e.g. `%s: %s`",
	  "改成半角冒号加一个空格，例如 `%2: %3`" },
	{ "yaml-fullwidth-comma", "full-width comma `，` in a [ ] list: YAML separates items with an ASCII comma",
	  "[ ] 列表里用了全角逗号“，”：各项之间要用英文半角逗号“,”" },
	{ "yaml-fullwidth-comma", "replace `，` with `, ` (an ASCII comma and a space), e.g. %s",
	  "把“，”换成半角逗号加空格“, ”，例如 %1" },
	{ "yaml-tab", "a tab character in the indentation: YAML indents with spaces only",
	  "缩进里有 Tab 键（制表符）：YAML 只能用空格缩进" },
	{ "yaml-tab", "replace the tab at the start of line %s with spaces, lined up with the fields above",
	  "把第%1行开头的 Tab 换成空格，与上面的字段对齐" },
	{ "yaml-after-quote", "text after the closing quote: `%s`", "右引号后面还有文字：`%1`" },
	{ "yaml-after-quote", "put the whole value inside the quotes, e.g. %s",
	  "把整个值都放在引号里面，例如 %1" },
	{ "yaml-limit", "value is %s bytes, more than the limit of %s bytes", "这个值有 %1 字节，超过了 %2 字节的上限" },
	{ "yaml-limit", "the limit is set by limits.yaml_scalar in site.yaml; raise it if this value is meant to be that long",
	  "上限由 site.yaml 的 limits.yaml_scalar 设定；如果这个值确实这么长，请调大它" },
	{ "yaml-limit", "YAML document has more than %s values after expanding aliases",
	  "展开别名后，字段部分的值超过了 %1 个" },
	{ "yaml-limit", "the limit is set by limits.yaml_nodes in site.yaml; a file this large is usually an alias bomb, not real content",
	  "上限由 site.yaml 的 limits.yaml_nodes 设定；这么大的文件通常是恶意的别名展开，不是真正的内容" },
	{ "yaml-limit", "YAML nesting is deeper than the limit of %s levels", "字段嵌套超过了 %1 层的上限" },
	{ "yaml-limit", "the limit is set by limits.yaml_depth in site.yaml", "上限由 site.yaml 的 limits.yaml_depth 设定" },
	{ "yaml-limit", "YAML document uses more than %s aliases", "字段部分用了超过 %1 个别名" },
	{ "yaml-limit", "the limit is set by limits.yaml_aliases in site.yaml", "上限由 site.yaml 的 limits.yaml_aliases 设定" },
	{ "yaml-tag", "tag %s does not fit a %s", "标记 %1 不适用于@2" },
	{ "yaml-tag", "unsupported YAML tag %s on a %s", "不支持@2上的 YAML 标记 %1" },
	{ "yaml-tag", "unsupported YAML tag %s", "不支持 YAML 标记 %1" },
	{ "yaml-tag", "remove the tag or change the value", "删除这个标记，或修改值" },
	{ "yaml-tag", "remove the tag; the supported tags are !!str, !!int, !!float, !!bool, !!null, !!map and !!seq",
	  "请删除这个标记；支持的标记有 !!str、!!int、!!float、!!bool、!!null、!!map 和 !!seq" },
	{ "yaml-tag", "value '%s' is not null (tag !!null)", "值 '%1' 不是空值（标记 !!null）" },
	{ "yaml-tag", "use ~ or null, or remove the tag", "请写 ~ 或 null，或删除标记" },
	{ "yaml-tag", "value '%s' is not a boolean (tag !!bool)", "值 '%1' 不是 true/false（标记 !!bool）" },
	{ "yaml-tag", "use true or false, or remove the tag", "请写 true 或 false，或删除标记" },
	{ "yaml-tag", "value '%s' is not an integer (tag !!int)", "值 '%1' 不是整数（标记 !!int）" },
	{ "yaml-tag", "value '%s' is not a number (tag !!float)", "值 '%1' 不是数字（标记 !!float）" },
	{ "yaml-tag", "the number is too large; put it in quotes to keep it as text",
	  "数字太大；请加引号，作为文字保存" },
	{ "yaml-tag", "remove the tag or fix the number", "请删除标记，或改正数字" },
	{ "yaml-float", "%s cannot be stored: JSON has no infinity or NaN", "%1 无法保存：不支持无穷大或 NaN" },
	{ "yaml-float", "put the value in quotes to keep it as text", "请给值加上引号，作为文字保存" },
	{ "yaml-nul", "value contains a NUL character%s", "值里有 NUL 字符%1" },
	{ "yaml-nul", "remove the \\0 escape from the value", "请删除值里的 \\0" },
	{ "yaml-nul", "field name contains a NUL character", "字段名里有 NUL 字符" },
	{ "yaml-nul", "remove the \\0 escape from the field name", "请删除字段名里的 \\0" },
	{ "yaml-utf8", "value is not valid UTF-8%s", "值不是有效的 UTF-8 文字%1" },
	{ "yaml-utf8", "save the file as UTF-8", "请把文件另存为 UTF-8 编码" },
	{ "yaml-key", "a field name must be plain text, not a %s", "字段名必须是普通文字，不能是@1" },
	{ "yaml-key", "write the key out instead of using an alias", "请把字段名写出来，不要用别名" },
	{ "yaml-key", "a key must be a simple word or text; check for a stray '?', '[' or '{' before the colon",
	  "字段名必须是简单的词或文字；请检查冒号前是否多了 '?'、'[' 或 '{'" },
	{ "yaml-duplicate-key", "field '%s' appears twice", "字段 '%1' 出现了两次" },
	{ "yaml-duplicate-key", "the first '%s' is on line %s; remove one of them or rename it",
	  "第一个 '%1' 在第%2行；请删除其中一个或改名" },
	{ "yaml-alias", "alias *%s refers to an unknown anchor", "别名 *%1 指向的锚点不存在" },
	{ "yaml-alias", "define the anchor (&name) before using it, and not inside the value it names",
	  "请先定义锚点（&名称）再使用，且不要在它所指的值里面使用" },
	{ "yaml-root", "expected fields (name: value), found %s", "这里应是字段（名称: 值），却是@1" },
	{ "yaml-root", "write fields as `name: value`, one per line", "字段写成 `名称: 值`，每行一个" },
	{ "yaml-multi-doc", "a second YAML document starts here", "这里开始了第二个 YAML 文档" },
	{ "yaml-multi-doc", "a file holds one YAML document; remove the --- line (in front matter, only the two fences may be ---)",
	  "一个文件只能有一段字段部分；请删除这一行 ---（字段部分只有开头和结尾两行可以是 ---）" },

	/* ---- fields (validate.c) ---- */
	{ "field-type", "`%s` must be %s, not %s", "`%1` 必须是@2，不能是@3" },
	{ "field-type", "write text, in quotes if it looks like a number: %s: \"…\"",
	  "写成文字；如果看起来像数字，请加引号：%1: \"…\"" },
	{ "field-type", "write digits only, without quotes or a decimal point, e.g. %s: 9",
	  "只写数字，不加引号和小数点，例如 %1: 9" },
	{ "field-type", "write a number without quotes, e.g. %s: 0.75", "写数字，不加引号，例如 %1: 0.75" },
	{ "field-type", "write %s: true or %s: false", "写 %1: true 或 %2: false" },
	{ "field-type", "write the date as YYYY-MM-DD, e.g. %s: 2024-07-12", "日期写成 年-月-日，例如 %1: 2024-07-12" },
	{ "field-type", "write the time as HH:MM, e.g. %s: \"19:30\"", "时间写成 时:分，例如 %1: \"19:30\"" },
	{ "field-type", "write a quarter like %s: 2024-Q3 or a year like %s: 2024",
	  "季度写成 %1: 2024-Q3，全年写成 %2: 2024" },
	{ "field-type", "write one item per line below `%s:`, each starting with \"- \"",
	  "在 `%1:` 下面每行写一项，每项以“- ”开头" },
	{ "field-type", "write the fields indented on the lines below `%s:`", "在 `%1:` 下面的行里缩进写各字段" },
	{ "field-type", "write the id of the document as text, e.g. %s: \"%s\"", "把文档编号写成文字，例如 %1: \"%2\"" },
	{ "field-type", "write it as %s", "请写成@1" },
	{ "field-date", "`%s: %s` is not a real date: %s %s has %s days", "`%1: %2` 不是真实的日期：%4年@3只有 %5 天" },
	{ "field-date", "`%s: %s` is not a real date: there are 12 months", "`%1: %2` 不是真实的日期：一年只有 12 个月" },
	{ "field-date", "`%s: %s` is not a date in the form YYYY-MM-DD", "`%1: %2` 不是“年-月-日”格式的日期" },
	{ "field-date", "write it as %s: %s (year-month-day, with dashes and two-digit month and day)",
	  "改成 %1: %2（年-月-日，用短横线，月和日都写两位）" },
	{ "field-date", "write the date as YYYY-MM-DD (year-month-day), e.g. 2024-07-12", "日期写成 年-月-日，例如 2024-07-12" },
	{ "field-time", "`%s: %s` is not a time of day (HH:MM)", "`%1: %2` 不是“时:分”格式的时间" },
	{ "field-time", "write the time on the 24-hour clock as HH:MM, e.g. \"19:30\"",
	  "用 24 小时制写成 时:分，例如 \"19:30\"" },
	{ "field-period", "`%s: %s` is not a period", "`%1: %2` 不是有效的期间" },
	{ "field-period", "write a quarter as YYYY-Qn (e.g. 2024-Q3) or a whole year as YYYY (e.g. 2024)",
	  "季度写成 年-Q季（如 2024-Q3），全年写成 年（如 2024）" },
	{ "field-range", "`%s` is %s; it must be %s", "`%1` 是 %2；应@3" },
	{ "field-range", "correct the number", "请改正这个数字" },
	{ "list-length", "`%s` has %s %s; it must have %s", "`%1` 有 %2 项；项数应@4" },
	{ "list-length", "add or remove entries", "请增加或删减条目" },
	{ "field-enum", "`%s: %s` is not one of the allowed values: did you mean `%s`?",
	  "`%1: %2` 不是允许的值：是不是想写 `%3`？" },
	{ "field-enum", "`%s: %s` is not one of the allowed values", "`%1: %2` 不是允许的值" },
	{ "field-enum", "`%s: %s` is the label of `%s`: write the value itself",
	  "`%1: %2` 是 `%3` 的中文名称：这里要写英文取值 `%3`" },
	{ "field-enum", "change it to `%s`", "改成 `%1`" },
	{ "field-enum", "use one of: %s", "请用以下之一：%1" },
	{ "ref-unknown", "`%s: %s` does not name any %s: did you mean `%s`?", "`%1: %2` 不是任何@3的编号：是不是想写 `%4`？" },
	{ "ref-unknown", "`%s: %s` does not name any %s", "`%1: %2` 不是任何@3的编号" },
	{ "ref-unknown", "change it to `%s`", "改成 `%1`" },
	{ "ref-unknown", "write the `id:` of the %s, or its file path under content/%s/ without .md",
	  "写该@1的 `id:`，或它在 content/%2/ 下的路径（不带 .md）" },
	{ "ref-wrong-kind", "`%s: %s` names a %s (%s), not a %s", "`%1: %2` 是一个@3（%4），不是@5" },
	{ "ref-wrong-kind", "write the id of a %s here", "这里请写一个@1的编号" },
	{ "ref-draft", "`%s: %s` refers to a draft %s, which is not published", "`%1: %2` 指向一个草稿@3，它不会发布" },
	{ "ref-draft", "publish that %s first (remove `draft: true` from %s), or mark this document as a draft too",
	  "请先发布那个@1（删除 %2 里的 `draft: true`），或把这个文档也标为草稿" },
	{ "ref-other-community", "`%s: %s` is a %s of community `%s`, but this document belongs to community `%s`",
	  "`%1: %2` 是社区 `%4` 的@3，而这个文档属于社区 `%5`" },
	{ "ref-other-community", "name a %s of community `%s`, or correct `community:`",
	  "请写社区 `%2` 的@1，或改正 `community:`" },
	{ "field-required", "`%s` is required but empty", "`%1` 必须填写，现在是空的" },
	{ "field-required", "the required field `%s` is missing", "缺少必填字段 `%1`" },
	{ "field-required", "`%s` lacks the required field `%s`", "`%1` 缺少必填字段 `%2`" },
	{ "field-required", "write a value after the colon", "请在冒号后面写上值" },
	{ "field-required", "add a line `%s: …` to the front matter", "请在字段部分加一行 `%1: …`" },
	{ "field-required", "add `%s: …` to `%s`", "请在 `%2` 里加上 `%1: …`" },
	{ "field-unknown", "unknown field `%s`: did you mean `%s`?", "没有 `%1` 这个字段：是不是想写 `%2`？" },
	{ "field-unknown", "rename it to `%s`", "改成 `%1`" },
	{ "committee-many-chairs", "the committee has more than one chair: `%s` and `%s`",
	  "自治会有不止一位主任：`%1` 和 `%2`" },
	{ "committee-many-chairs", "a committee has one chair; give `%s` another role (e.g. 副主任), or `chair: false`",
	  "自治会只有一位主任；请给 `%1` 换一个职务（如 副主任），或写 `chair: false`" },
	{ "committee-no-chair", "the committee has no chair", "自治会没有主任" },
	{ "committee-no-chair", "give the chair `role: 主任` (or 主席, 召集人, chair), or add `chair: true` to the chair's entry",
	  "请给主任写 `role: 主任`（或 主席、召集人、chair），或在其条目里加 `chair: true`" },
	{ "time-order", "the meeting ends (`end: %s`) before it starts (`start: %s`)",
	  "会议结束时间（`end: %1`）早于开始时间（`start: %2`）" },
	{ "time-order", "check both times; use the 24-hour clock, e.g. 19:00 to 21:00",
	  "请检查两个时间；用 24 小时制，例如 19:00 到 21:00" },
	{ "approved-at-earlier", "a meeting cannot approve its own minutes (`approved_at: %s`)",
	  "会议不能通过自己的纪要（`approved_at: %1`）" },
	{ "approved-at-earlier", "`approved_at: %s` is a meeting held on %s, before this meeting (%s)",
	  "`approved_at: %1` 是 %2 召开的会议，早于本次会议（%3）" },
	{ "approved-at-earlier", "`approved_at: %s` is a meeting held on the same day (%s) but not after this one",
	  "`approved_at: %1` 是同一天（%2）召开的会议，但不在本次会议之后" },
	{ "approved-at-earlier", "minutes are approved at a later meeting; write the id of the meeting that approved them",
	  "纪要由之后的会议通过；请写通过它的那次会议的编号" },
	{ "votes-exceed-attendees", "votes (for %s + against %s + abstain %s = %s) exceed the %s attendees of meeting `%s`",
	  "票数（赞成 %1 + 反对 %2 + 弃权 %3 = %4）超过了会议 `%6` 的出席人数 %5" },
	{ "votes-exceed-attendees", "check the counts, or add the missing names to the meeting's attendees",
	  "请核对票数，或把漏写的人名补进会议的出席名单" },
	{ "result-mismatch", "`result: %s` does not agree with the votes: for %s, against %s, abstain %s under the %s rule (%s) give `%s`",
	  "`result: %1` 与票数不符：赞成 %2、反对 %3、弃权 %4，按@5规则（@6），结果应为 `%7`" },
	{ "result-mismatch", "check the vote counts and the rule, or change it to `result: %s`",
	  "请核对票数和表决规则，或改成 `result: %1`" },
	{ "supersedes-self", "a decision cannot supersede itself", "决议不能取代它自己" },
	{ "supersedes-self", "write the id of the earlier decision this one replaces", "请写被本决议取代的那项较早决议的编号" },
	{ "supersedes-later", "`supersedes: %s` was decided on %s, after this decision (%s)",
	  "`supersedes: %1` 作出于 %2，晚于本决议（%3）" },
	{ "supersedes-later", "a decision can only replace an earlier one; check the id and both dates",
	  "决议只能取代更早的决议；请核对编号和两个日期" },
	{ "charter-version-duplicate", "community `%s` already has a charter version %s", "社区 `%1` 已经有第 %2 版自治公约" },
	{ "charter-version-duplicate", "each version of a charter has its own number; %s already is version %s",
	  "自治公约的每一版都有自己的版本号；%1 已经是第 %2 版" },
	{ "charter-path-mismatch", "this charter says community `%s`, version %s, but its file is %s",
	  "这份自治公约写的是社区 `%1` 第 %2 版，但文件位置是 %3" },
	{ "charter-path-mismatch", "move the file to %s, or correct `community:` / `version:`",
	  "请把文件移到 %1，或改正 `community:` / `version:`" },
	{ "period-duplicate", "community `%s` already has an evaluation for %s", "社区 `%1` 已经有 %2 的评估" },
	{ "period-duplicate", "one evaluation per community and period; merge it with %s or correct `period:`",
	  "每个社区每个期间只有一份评估；请与 %1 合并，或改正 `period:`" },

	/* ---- the record's own consistency (records.c) ---- */
	{ "placeholder", "`%s: %s` still holds the template's placeholder …",
	  "`%1: %2` 里还留着模板的占位符“……”" },
	{ "placeholder", "write the real text in place of the …, or keep `draft: true` until the document is ready",
	  "请把“……”换成实际内容；还没写好就保留 `draft: true`" },
	{ "votes-none", "no votes are counted and no result is given: the decision is published as deferred",
	  "没有填写表决票数，也没有写明结果：这项决议将按“暂缓表决”公布" },
	{ "votes-none", "enter the counts, e.g. votes: {for: 7, against: 1, abstain: 1}; if the meeting put the matter off, write result: deferred",
	  "请填写票数，例如 votes: {for: 7, against: 1, abstain: 1}；如果会议决定暂缓表决，请写 result: deferred" },
	{ "votes-placeholder", "the decision says `result: adopted` but its votes are empty or 0/0/0, as the template left them",
	  "决议写的是 `result: adopted`（通过），但票数是空的或 0/0/0，还是模板留下的样子" },
	{ "votes-placeholder", "write the real counts, e.g. votes: {for: 7, against: 1, abstain: 1}, or keep `draft: true`",
	  "请填写实际票数，例如 votes: {for: 7, against: 1, abstain: 1}；还没写好就保留 `draft: true`" },
	{ "person-unknown", "the %s `%s` is not among the committee or the attendees: did you mean `%s`?",
	  "@1 `%2` 既不是自治会成员，也不在出席名单里：是不是想写 `%3`？" },
	{ "person-unknown", "the %s `%s` is not among the committee or the attendees",
	  "@1 `%2` 既不是自治会成员，也不在出席名单里" },
	{ "person-unknown", "change it to `%s: %s`", "改成 `%1: %2`" },
	{ "person-unknown", "check the name against the committee and `attendees:`; add the %s to `attendees:` or `guests:`",
	  "请对照自治会名单和 `attendees:` 核对姓名；把@1加进 `attendees:` 或 `guests:`" },
	{ "person-not-attending", "the %s `%s` is a committee member but not among the meeting's attendees",
	  "@1 `%2` 是自治会成员，但不在本次会议的出席名单里" },
	{ "person-not-attending", "add the name to `attendees:`, or check who held that role at this meeting",
	  "请把这个名字加进 `attendees:`，或核对本次会议由谁担任这一职责" },
	{ "person-present-and-absent", "`%s` is both among the attendees and absent", "`%1` 既在出席名单里，又在缺席名单里" },
	{ "person-present-and-absent", "`%s` is both among the guests and absent", "`%1` 既在列席名单里，又在缺席名单里" },
	{ "person-present-and-absent", "the %s `%s` is listed among the absent",
	  "@1 `%2` 在缺席名单里" },
	{ "person-present-and-absent",
	  "remove the name from `absent:`, or write who held that role at this meeting",
	  "请从 `absent:` 中删去这个名字，或写明本次会议由谁担任这一职责" },
	{ "person-listed-twice", "`%s` is listed twice among the attendees", "`%1` 在出席名单里出现了两次" },
	{ "person-listed-twice",
	  "remove one of them; if two people share the name, tell them apart, e.g. 王伟（3栋）",
	  "请删去重复的一个；如果是两位同名的人，请加以区分，例如 王伟（3栋）" },
	{ "person-listed-twice", "`%s` is listed both among the attendees and among the guests",
	  "`%1` 既在出席名单里，又在列席名单里" },
	{ "person-listed-twice",
	  "keep the name in one list: `attendees:` for the committee members present, `guests:` for everyone else",
	  "请只在一个名单里写这个名字：出席的自治会成员写进 `attendees:`，其他人写进 `guests:`" },
	{ "person-present-and-absent", "remove the name from `guests:` or from `absent:`",
	  "请从 `guests:` 或 `absent:` 中删去这个名字" },
	{ "person-present-and-absent", "remove the name from `attendees:` or from `absent:`",
	  "请从 `attendees:` 或 `absent:` 中删去这个名字" },
	{ "due-before-decision", "`due: %s` is before the decision's date (%s)", "`due: %1`（完成期限）早于决议日期（%2）" },
	{ "due-before-decision", "check both dates: a deadline comes after the decision that sets it",
	  "请核对两个日期：完成期限应在作出决议之后" },
	{ "decision-before-meeting", "`date: %s` is before its meeting `%s` (held on %s)",
	  "`date: %1` 早于作出决议的会议 `%2`（%3 召开）" },
	{ "decision-before-meeting", "check `date:` and `meeting:`: a decision is taken at or after its meeting",
	  "请核对 `date:` 和 `meeting:`：决议只能在会议当天或之后作出" },
	{ "decision-date-differs", "`date: %s` is not the date of its meeting `%s` (%s)",
	  "`date: %1` 与会议 `%2` 的日期（%3）不同" },
	{ "decision-date-differs", "a decision is usually dated the day of its meeting; write that date if the meeting took it",
	  "决议通常以会议当天为日期；如果是在那次会议上作出的，请写会议日期" },
	{ "schema-empty",
	  "%s names no field and no rule, so it replaces the built-in schema with nothing: its documents get only the common checks",
	  "%1 没有列出任何字段或规则，却替换了内置的规则：这一类文档只会做通用检查" },
	{ "schema-empty", "delete the file to check with the built-in schema, or list in it the fields and rules this kind should have",
	  "删除这个文件，即按内置规则检查；或者在文件里写明这一类文档应有的字段和规则" },
	{ "kind-unknown",
	  "content/%s/ is not a kind noticeboard knows, so its documents get none of the checks of %s and appear in no list: did you mean `%s`?",
	  "content/%1/ 不是 noticeboard 认识的文档类别，其中的文档不会按 %2 的规则检查，也不会出现在任何列表里：是不是想写 `%3`？" },
	{ "kind-unknown", "move the files to content/%s/ if they are %s; a folder of your own is fine under another name",
	  "如果这些是 %2，请把文件移到 content/%1/；自己另设的栏目请换一个不易混淆的文件夹名" },
	/* ---- files published as they are, the walk, attachments ---- */
	{ "@", "image", "图片" },
	{ "@", "link", "链接" },
	{ "symlink-loop", "symbolic link leads to %s, a folder already read; it is not followed",
	  "这个符号链接指向 %1，这个文件夹已经读过了；不会再跟随它" },
	{ "symlink-loop", "remove the link: every folder may be reached one way only",
	  "请删除这个链接：每个文件夹只能通过一条路径到达" },
	{ "path-too-deep", "folder is nested more than %d levels below %s/; nothing in it is published",
	  "这个文件夹在 %2/ 下嵌套超过 %1 层；其中的文件都不会发布" },
	{ "path-too-deep", "move its files into a folder fewer levels down",
	  "请把其中的文件移到层级更浅的文件夹里" },
	{ "file-special", "not a regular file (a pipe, socket or device)",
	  "这不是普通文件（是管道、套接字或设备）" },
	{ "file-special", "remove it; only regular files and folders are published",
	  "请删除它；只有普通文件和文件夹会被发布" },
	{ "asset-collision", "would be published as %s, where the build writes %s",
	  "会发布为 %1，但网站生成的内容（%2）也写在这里" },
	{ "asset-collision", "rename or move the file: a file copied as it is may not replace a page or file the build makes",
	  "请给文件改名或移走：原样发布的文件不能替换网站生成的页面或文件" },
	{ "asset-collision", "would be published as %s, which a case-insensitive file system takes for %s (%s)",
	  "会发布为 %1，在不区分大小写的文件系统上与 %2（%3）是同一个文件" },
	{ "asset-collision", "rename one of them so the names differ by more than case",
	  "请给其中一个改名，让两个名字不只是大小写不同" },
	{ "asset-collision", "would be published as %s, like %s", "会发布为 %1，与 %2 相同" },
	{ "asset-collision", "rename or remove one of them", "请给其中一个改名或删除它" },
	{ "asset-active-content", "%s in a file published as it is would run with the site's rights",
	  "原样发布的文件里有 %1，它会以本网站的权限运行" },
	{ "asset-active-content", "remove it, or publish the file with the site's own pages instead; a site that must serve it as it is sets `assets.allow_active_content: true` in site.yaml (see README.md for the header your web server should send)",
	  "请删除它，或改用网站自己的页面发布这些内容；确实要原样发布的网站，在 site.yaml 里设置 `assets.allow_active_content: true`（网页服务器应发送的响应头见 README.md）" },
	{ "audit-repo-place", "the audit repository %s and %s (%s) overlap",
	  "审计仓库 %1 与@2（%3）互相包含" },
	{ "audit-repo-place", "set audit.repository in site.yaml to a folder of its own beside the site's folders, e.g. `audit.git`",
	  "请在 site.yaml 里把 audit.repository 设为一个单独的文件夹，与网站的其他文件夹并列，例如 `audit.git`" },
	{ "audit-key-place", "the signing key %s is inside %s (%s): it would be published with the site and kept in the record of every publication",
	  "签名密钥 %1 放在@2（%3）里：它会随网站一起公开，并永久留在每一次公示的记录中" },
	{ "audit-key-place", "move the key out of the site's published folders (for example to ~/.ssh/) and set audit.signing_key to where it is now",
	  "请把密钥移出网站要发布的文件夹（例如移到 ~/.ssh/），并把 audit.signing_key 改成它的新位置" },
	{ "id-collision", "id `%s` is the same as `%s` but for case or Unicode normalisation",
	  "编号 `%1` 与 `%2` 只差大小写或 Unicode 字符组合方式，会被当成同一个" },
	{ "id-collision", "ids are unique across the site; %s already uses one that differs only by upper and lower case or by how its letters are composed — give this document another `id:`",
	  "全站的编号不能重复；%1 用的编号与它只差大小写或字符组合方式——请给这个文档另起一个 `id:`" },
	{ "markdown-table-limit", "the document's tables have more than %zu cells",
	  "这个文档的表格超过 %1 个单元格" },
	{ "markdown-table-limit", "split the table over several documents, or attach it as a file (e.g. CSV) beside the document; the limit is limits.table_cells in site.yaml",
	  "请把表格拆到几个文档里，或作为附件（例如 CSV 文件）放在文档旁边；上限在 site.yaml 的 limits.table_cells 里设置" },
	{ "yaml-merge", "`<<` appears twice in one mapping", "同一组字段里出现了两次 `<<`" },
	{ "yaml-merge", "merge several mappings with one list: `<<: [*a, *b]`",
	  "要合并几组字段，请写成一个列表：`<<: [*a, *b]`" },
	{ "yaml-merge", "`<<` (merge) takes a mapping or a list of mappings",
	  "`<<`（合并）后面只能是一组字段或几组字段的列表" },
	{ "yaml-merge", "write `<<: *name` with the anchor of a mapping, or a list of them `<<: [*a, *b]`; to have a field named <<, quote it: \"<<\"",
	  "请写 `<<: *名字`，引用一组字段的锚点，或写成列表 `<<: [*a, *b]`；如果字段名就是 <<，请加引号：\"<<\"" },
	{ "image-alt-missing", "image `%s` has no text alternative", "图片 `%1` 没有替代文字" },
	{ "image-alt-missing", "describe the picture between the brackets, e.g. ![Photo of the meeting](photo.jpg): it is what a screen reader says, and what shows when the picture cannot",
	  "请在方括号里写上图片说明，例如 ![会议现场照片](photo.jpg)：读屏软件会读出它，图片显示不出来时也会显示它" },
	{ "link-outside-folder", "%s `%s` leaves the document's folder; only files beside the document are published with it",
	  "@1 `%2` 指向文档所在文件夹之外；只有放在文档旁边的文件才会随文档发布" },
	{ "link-outside-folder", "put the file beside the document (in the same folder or a folder under it) and link it by its name, e.g. [Sign-in sheet](signin.pdf)",
	  "请把文件放在文档旁边（同一个文件夹或其下的文件夹），用文件名链接，例如 [签到表](signin.pdf)" },
	{ "document-extension", "a document's file name must end in `.md` (in small letters); this file would be published as it is, not as a page",
	  "文档的文件名必须以 `.md`（小写）结尾；这个文件会被原样发布，而不是生成页面" },
	{ "document-extension", "rename it to `%s`", "请改名为 `%1`" },
	{ "file-name-encoding", "not published: the file name is not UTF-8 text (it was probably written in another encoding, e.g. GBK)",
	  "未发布：文件名不是 UTF-8 编码（大概是用别的编码写的，例如 GBK）" },
	{ "file-name-encoding", "rename it (and its folder, if that is the part in another encoding)",
	  "请给它改名（如果是文件夹名用了别的编码，也要给文件夹改名）" },
	{ "file-backup", "not published: this is an editor's backup copy, and a draft's text may be in it",
	  "未发布：这是编辑器留下的备份副本，里面可能有草稿的内容" },
	{ "file-backup", "delete it once you no longer need it; to publish the file, give it a name of its own",
	  "不再需要时请删除它；如果要发布这个文件，请给它另起一个名字" },
	{ "link-names-no-file", "%s `%s` names a folder, not a file; only files beside the document are published with it",
	  "@1 `%2` 指向的是文件夹，不是文件；只有放在文档旁边的文件才会随文档发布" },
	{ "link-names-no-file", "link a file beside the document by its name, e.g. [Sign-in sheet](signin.pdf); to link a page, write its address, e.g. [Meetings](/meetings/)",
	  "请用文件名链接文档旁边的文件，例如 [签到表](signin.pdf)；要链接某个页面，请写它的地址，例如 [会议列表](/meetings/)" },
	{ "link-target-missing", "%s `%s` names a file that does not exist: %s",
	  "@1 `%2` 指向的文件不存在：%3" },
	{ "link-target-missing", "put the file in the document's folder, or correct the name (letters must match in case, and the extension too)",
	  "请把文件放进文档所在的文件夹，或改正文件名（字母大小写和扩展名都要一致）" },
	{ "attachment-name-reserved", "attachment `%s` cannot be published: index.html is the name of the document's own page",
	  "附件 `%1` 不能发布：index.html 是文档自己页面的文件名" },
	{ "attachment-name-reserved", "rename the file (e.g. to original.html) and the link with it",
	  "请给文件改名（例如改为 原文.html），链接也一起改" },
	{ "list-page-taken", "this document's address %s%s is where page %zu of the list %s%s goes",
	  "这个文档的地址 %1%2 正是列表 %4%5 第 %3 页的地址" },
	{ "list-page-taken", "give the document another `id:` (or move the file), so that the list keeps its pages",
	  "请给这个文档另起一个 `id:`（或移动文件），让列表保留它的分页" },
	{ "notice-period-order", "the disclosure period ends (%s) before it starts (%s)",
	  "公示期的结束日期（%1）早于开始日期（%2）" },
	{ "notice-period-order", "the period ends on or after the day it starts; check both dates (notice_from, else the document's date)",
	  "公示期应在开始当天或之后结束；请检查两个日期（notice_from，没有时为文档日期）" },
	{ "config-audit-branch", "`audit.branch` `%s` is not a name git accepts for a branch",
	  "`audit.branch` 的 `%1` 不能用作 git 分支名" },
	{ "config-audit-branch", "use letters, digits, '-' and '/', e.g. `branch: publications`, or remove the line",
	  "请只用字母、数字、'-' 和 '/'，例如 `branch: publications`；或删除这一行" },
	{ "config-notice-period", "`notice.period_days` is %lld; at most 366 days",
	  "`notice.period_days` 是 %1；最多 366 天" },
	{ "config-notice-period", "a notice is posted for days or weeks, e.g. `period_days: 7`",
	  "公示一般是几天或几周，例如 `period_days: 7`" },
	/* ---- publishing ---- */
	{ "as-of-before-previous", "--as-of %s is before %s, the as-of date of the last publication (pub-%zu); nothing was recorded",
	  "--as-of %1 早于上一次公示（pub-%3）的判定日期 %2；没有记录任何内容" },
	{ "as-of-before-previous", "give --as-of a date on or after the last publication's, or leave it out to use today",
	  "请给 --as-of 一个不早于上一次公示的日期，或不写它，使用今天的日期" },
	{ "output-mount-point", "the output folder %s is a mount point: publish serves a new site by renaming a folder over it, which a mount point refuses; nothing was recorded",
	  "输出文件夹 %1 是一个挂载点：发布时要用改名的方式替换整个文件夹，挂载点不允许这样做；没有记录任何内容" },
	{ "output-mount-point", "set `output:` in site.yaml to a folder inside the mount (for example `output: public/site`) and serve that folder",
	  "请在 site.yaml 里把 `output:` 设为挂载点里面的一个文件夹（例如 `output: public/site`），并让网页服务器提供那个文件夹" },
	/* audit.signing_key that cannot sign (audit/publish.c pub_key_refused) */
	{ "audit-signing-key", "the signing key %s (audit.signing_key) does not exist; nothing was recorded",
	  "签名密钥 %1（audit.signing_key）不存在；没有记录任何内容" },
	{ "audit-signing-key", "the signing key %s (audit.signing_key) cannot be read: %s; nothing was recorded",
	  "无法读取签名密钥 %1（audit.signing_key）：@2；没有记录任何内容" },
	{ "audit-signing-key", "the signing key %s (audit.signing_key) is not a file; nothing was recorded",
	  "签名密钥 %1（audit.signing_key）不是一个文件；没有记录任何内容" },
	{ "audit-signing-key", "ssh-keygen, which signs each publication with audit.signing_key, is not installed; nothing was recorded",
	  "没有安装 ssh-keygen，无法用 audit.signing_key 为公示签名；没有记录任何内容" },
	{ "audit-signing-key", "the signing key %s (audit.signing_key) is locked by a passphrase that was not given or was wrong; nothing was recorded",
	  "签名密钥 %1（audit.signing_key）设有口令，口令没有输入或输入错误；没有记录任何内容" },
	{ "audit-signing-key", "the signing key %s (audit.signing_key) may be read by others, so ssh-keygen will not use it; nothing was recorded",
	  "签名密钥 %1（audit.signing_key）别人也能读取，ssh-keygen 因此拒绝使用它；没有记录任何内容" },
	{ "audit-signing-key", "let only its owner read it: `chmod 600 KEY`",
	  "请让它只有主人能读：`chmod 600 密钥文件`" },
	{ "audit-signing-key", "the signing key %s (audit.signing_key) cannot sign: %s; nothing was recorded",
	  "签名密钥 %1（audit.signing_key）无法签名：%2；没有记录任何内容" },
	{ "audit-signing-key", "correct `signing_key:` under `audit:` in site.yaml (a path from the site folder, or an absolute one), or remove that line to publish unsigned",
	  "请改正 site.yaml 里 `audit:` 下的 `signing_key:`（从网站文件夹算起的路径，或绝对路径），或删掉这一行，不签名发布" },
	{ "audit-signing-key", "install OpenSSH's ssh-keygen (Debian and Ubuntu: `apt install openssh-client`), or remove `signing_key:` from site.yaml to publish unsigned",
	  "请安装 OpenSSH 的 ssh-keygen（Debian 和 Ubuntu：`apt install openssh-client`），或删掉 site.yaml 里的 `signing_key:`，不签名发布" },
	{ "audit-signing-key", "publish from a terminal to type the passphrase, load the key into ssh-agent first (`ssh-add KEY`), or use a key without a passphrase",
	  "请在终端里运行 publish 并输入口令，或先把密钥加入 ssh-agent（`ssh-add 密钥文件`），或改用没有口令的密钥" },
	{ "audit-signing-key", "`signing_key:` names an SSH private key, such as one made by `ssh-keygen -t ed25519 -f KEY`; check it with `ssh-keygen -y -f KEY`",
	  "`signing_key:` 应当是 SSH 私钥文件，例如用 `ssh-keygen -t ed25519 -f 密钥文件` 生成的；可以用 `ssh-keygen -y -f 密钥文件` 检查它" },
	{ "audit-signing-key", "ssh-keygen failed, not the signing key %s (audit.signing_key): `%s` %s and said: %s; nothing was recorded",
	  "出错的是 ssh-keygen 程序，不是签名密钥 %1（audit.signing_key）：`%2` @3，它的输出是：%4；没有记录任何内容" },
	{ "audit-signing-key", "ssh-keygen failed, not the signing key %s (audit.signing_key): `%s` %s and said nothing; nothing was recorded",
	  "出错的是 ssh-keygen 程序，不是签名密钥 %1（audit.signing_key）：`%2` @3，没有任何输出；没有记录任何内容" },
	{ "audit-signing-key", "make sure the ssh-keygen found first on PATH is OpenSSH's and works (`ssh-keygen -l -f KEY` prints the key's fingerprint; Debian and Ubuntu: `apt install openssh-client`), then publish again; or remove `signing_key:` from site.yaml to publish unsigned",
	  "请确认 PATH 里最先找到的 ssh-keygen 是 OpenSSH 的并且能正常运行（`ssh-keygen -l -f 密钥文件` 会显示密钥的指纹；Debian 和 Ubuntu：`apt install openssh-client`），然后重新发布；或删掉 site.yaml 里的 `signing_key:`，不签名发布" },
	{ "@", "exited with status %d", "以状态 %1 退出" },
	{ "@", "was ended by signal %d (%s)", "被信号 %1（%2）终止" },
	/* ---- `noticeboard audit`'s text report (audit/auditor.c): the
	 * checks' sentences under "audit", what they quote from below
	 * (fetch, chain, signatures, history) as "@" pieces ---- */
	{ "audit", "the repository %s, read as it is", "审计库 %1，按原样读取" },
	{ "audit", "%zu packs (each checked by git's indexer) and %zu loose objects (each hashed) from %s%s",
	  "从 %3%4 取得 %1 个包（每个都经 git 的索引程序检查）和 %2 个零散对象（每个都重新计算了哈希）" },
	{ "audit", "cannot create a temporary folder in %s", "无法在 %1 里建立临时文件夹" },
	{ "audit", "the fetched repository cannot be opened", "取得的审计库无法打开" },
	{ "audit", "%zu publications; %s is at pub-%zu (%s); each pub-N+1 follows pub-N directly",
	  "共 %1 次公示；%2 指向 pub-%3（%4）；每个 pub-N+1 都直接接在 pub-N 之后" },
	{ "audit", "%zu publications; %s is at %s, publication %zu recorded but not yet tagged (the next publish tags it), on pub-%zu (%s); each pub-N+1 follows pub-N directly",
	  "共 %1 次公示；%2 指向 %3，即已记录、尚未加标签的第 %4 次公示（下一次发布时会补上标签），它接在 pub-%5（%6）之后；每个 pub-N+1 都直接接在 pub-N 之后" },
	{ "audit", "%zu objects damaged", "%1 个对象已损坏" },
	{ "audit", "every object of pub-1..pub-%zu read and hashed again",
	  "pub-1 至 pub-%1 的每个对象都已读出并重新计算了哈希" },
	{ "audit", "publication %zu is damaged: %s %s (%s) is missing", "第 %1 次公示已损坏：@2 %3（@4）缺失" },
	{ "audit", "publication %zu is damaged: %s %s (%s) is corrupt", "第 %1 次公示已损坏：@2 %3（@4）内容有误" },
	{ "audit", "not checked: give --allowed-signers FILE", "未检查：请用 --allowed-signers 文件 指定可信的签名者" },
	{ "audit", "%zu signatures good against %s", "%1 个签名与 %2 相符" },
	{ "audit", "%zu signatures good against %s; no publication is signed",
	  "%1 个签名与 %2 相符；没有任何一次公示有签名" },
	{ "audit", "signature pub-%zu: its %s is not signed, but publications are signed from pub-%zu on",
	  "签名 pub-%1：它的@2没有签名，但从 pub-%3 起的公示都有签名" },
	{ "audit", "signature pub-%zu (%s): %s", "签名 pub-%1（@2）：@3" },
	{ "audit", "signature pub-%zu: %s", "签名 pub-%1：@2" },
	{ "audit", "the served history does not extend the one seen before (remembered in %s; left unchanged)",
	  "网站现在提供的历史没有接续上次看到的历史（记录在 %1，未作改动）" },
	{ "audit", "first contact: nothing to compare with, this history is trusted on first use; remembered in %s",
	  "第一次审计：没有可比较的记录，这份历史在第一次审计时被信任；已记录在 %1" },
	{ "audit", "first contact: nothing to compare with, this history is trusted on first use; not remembered (the record failed its checks)",
	  "第一次审计：没有可比较的记录，这份历史在第一次审计时被信任；未记录（公示记录没有通过检查）" },
	{ "audit", "extends the history seen before; remembered in %s", "接续了上次看到的历史；已记录在 %1" },
	{ "audit", "extends the history seen before; not remembered (the record failed its checks)",
	  "接续了上次看到的历史；未记录（公示记录没有通过检查）" },
	{ "audit", "%zu of %zu publications rebuilt byte for byte from their recorded sources, as of their recorded dates",
	  "%2 次公示中有 %1 次按其记录的日期、从其记录的源文件重建后逐字节一致" },
	{ "audit", "pub-%zu: %zu files differ from what its recorded sources build (it and this audit are both %s)",
	  "pub-%1：有 %2 个文件与其记录的源文件生成的结果不同（它和本次审计用的都是 %3）" },
	{ "audit", "pub-%zu: made by another generator (%s; this audit is %s): %zu files differ when rebuilt here, which says nothing about tampering; audit it with %s",
	  "pub-%1：由其他生成器发布（%2；本次审计是 %3）：在这里重建时有 %4 个文件不同，这并不说明被篡改；请用 %5 审计" },
	{ "audit", "pub-%zu: its recorded sources do not build: %s", "pub-%1：记录的源文件无法生成网站：%2" },
	{ "audit", "pub-%zu: its manifest.json records no as_of date", "pub-%1：manifest.json 没有记录 as_of 日期" },
	{ "audit", "pub-%zu: %s", "pub-%1：@2" },
	{ "audit", "cannot read pub-%zu's public/: %s", "无法读取 pub-%1 的 public/：@2" },
	{ "audit", "%zu of the %zu files of pub-%zu are not served as published by %s",
	  "%4 提供的 pub-%3 的 %2 个文件中，有 %1 个与公示的不同" },
	{ "audit", "all %zu files of pub-%zu served byte for byte by %s",
	  "%3 提供的 pub-%2 全部 %1 个文件都与公示的逐字节一致" },
	/* ---- the reports of verify, diff, log and history, and usage errors
	 * (cli/, nb_cli_print): what they quote from the record as "@"
	 * pieces; the words of a file's state as `audit` says them ---- */
	{ "report", "missing: %s", "缺失：%1" },
	{ "report", "extra: %s", "多出：%1" },
	{ "report", "modified: %s", "被改动：%1" },
	{ "report", "missing: the folder %s", "缺失：文件夹 %1 不存在" },
	{ "report", "rebuild pub-%zu: missing: %s", "重建 pub-%1：缺失：%2" },
	{ "report", "rebuild pub-%zu: extra: %s", "重建 pub-%1：多出：%2" },
	{ "report", "rebuild pub-%zu: modified: %s", "重建 pub-%1：被改动：%2" },
	{ "report", "rebuild pub-%zu: %s", "重建 pub-%1：@2" },
	/* what rebuild.c says of a publication (r.err) */
	{ "report", "rebuild pub-%zu: its recorded sources do not build: %s",
	  "重建 pub-%1：记录的源文件无法生成网站：%2" },
	{ "report", "rebuild pub-%zu: its manifest.json records no as_of date",
	  "重建 pub-%1：manifest.json 没有记录 as_of 日期" },
	{ "report", "rebuild pub-%zu: made by another generator (%s; this is %s): %zu of its files differ when rebuilt here, which says nothing about tampering; rebuild it with %s",
	  "重建 pub-%1：它由其他版本的生成器发布（%2；这里是 %3）：在这里重建时有 %4 个文件不同，这并不说明被篡改；请用 %5 重建" },
	{ "report", "rebuild pub-%zu: %zu files differ from what its recorded sources build (%s made it and rebuilt it)",
	  "重建 pub-%1：有 %2 个文件与其记录的源文件生成的结果不同（发布和重建用的都是 %3）" },
	{ "report", "rebuild: there is no publication %zu (the last is %zu)",
	  "重建：没有第 %1 次公示（最后一次是第 %2 次）" },
	{ "report", "served but not tagged: %s is publication %zu, which is on the branch but has no tag pub-%zu (see above)",
	  "网站上的是未加标签的公示：%1 是第 %2 次公示，它已记录在分支上，但还没有 pub-%3 标签（见上文）" },
	{ "report", "recorded but not served: %s is still pub-%zu; pub-%zu was recorded but never served (run `noticeboard publish` to serve it)",
	  "已记录但没有放到网站上：%1 仍是 pub-%2；pub-%3 已经记录，但从未放到网站上（运行 `noticeboard publish` 即可放上去）" },
	{ "report", "%s is pub-%zu, not pub-%zu", "%1 是 pub-%2，不是 pub-%3" },
	{ "report", "served but unrecorded: what %s holds is no publication's output (run `noticeboard publish` to record and serve the site, or find who changed it)",
	  "网站上的内容没有记录：%1 里的内容不是任何一次公示生成的（运行 `noticeboard publish` 记录并发布网站，或查明是谁改动了它）" },
	{ "report", "manifest: pub-%zu's manifest.json disagrees about %s",
	  "文件清单：pub-%1 的 manifest.json 对 %2 的记录与实际不符" },
	{ "report", "manifest: pub-%zu's manifest.json lists %zu files, public/ has %zu",
	  "文件清单：pub-%1 的 manifest.json 列出 %2 个文件，而 public/ 里有 %3 个" },
	{ "report", "broken chain: %s", "公示链断裂：@1" },
	{ "report", "cannot compare %s with pub-%zu: its record is damaged (above)",
	  "无法将 %1 与 pub-%2 比较：它的记录已损坏（见上文）" },
	{ "report", "cannot compare it with pub-%zu: its record is damaged (above)",
	  "无法与 pub-%1 比较：它的记录已损坏（见上文）" },
	{ "report", "signatures: set audit.allowed_signers in site.yaml to check them",
	  "签名：请在 site.yaml 里设置 audit.allowed_signers，才能检查签名" },
	{ "report", "verified: %s is identical to pub-%zu (%zu files); chain of %zu publications unbroken",
	  "核对无误：%1 与 pub-%2 完全相同（%3 个文件）；%4 次公示前后相接，没有断裂" },
	{ "report", "verified: pub-%zu (%zu files) intact; chain of %zu publications unbroken",
	  "核对无误：pub-%1（%2 个文件）完好；%3 次公示前后相接，没有断裂" },
	{ "report", "; %zu rebuilt byte for byte from their recorded sources",
	  "；%1 次公示用其记录的源文件重建后逐字节相同" },
	{ "report", "; %zu signatures good", "；%1 个签名有效" },
	{ "report", " (signed from pub-%zu on; pub-1 to pub-%zu were published before signing began)",
	  "（从 pub-%1 起有签名；pub-1 至 pub-%2 发布于开始签名之前）" },
	{ "report", "%zu problems found comparing %s with pub-%zu",
	  "将 %2 与 pub-%3 比较，发现 %1 处问题" },
	{ "report", "%zu problems found comparing the record with pub-%zu",
	  "将记录与 pub-%2 比较，发现 %1 处问题" },
	{ "report", "%zu publications were made by another generator and could not be reproduced here; nothing else differs",
	  "有 %1 次公示由其他版本的生成器发布，在这里无法重现；除此之外没有任何不同" },
	{ "report", "noticeboard verify: no publication to compare with",
	  "noticeboard verify：还没有可以比较的公示" },
	{ "report", "noticeboard verify: --publication wants N or pub-N",
	  "noticeboard verify：--publication 后面要写数字 N 或 pub-N" },
	{ "report", "noticeboard verify: --all goes with --rebuild",
	  "noticeboard verify：--all 要和 --rebuild 一起用" },
	{ "report", "%s → %s: %zu documents added, %zu removed, %zu changed; %zu other files changed",
	  "%1 → @2：新增 %3 个文档，删除 %4 个，修改 %5 个；另有 %6 个其他文件有改动" },
	{ "@", "working", "尚未发布的当前内容" },
	{ "report", "noticeboard diff: unknown argument `%s` (publications are numbers or pub-N)",
	  "noticeboard diff：不认识的参数 `%1`（公示要写成数字或 pub-N）" },
	{ "report", "noticeboard diff: no publications yet", "noticeboard diff：还没有任何公示" },
	{ "report", "no publications yet", "还没有任何公示" },
	{ "report", "noticeboard history: which document?", "noticeboard history：要查哪个文档？" },
	{ "report", "noticeboard history: `%s` is in no publication (give its id or its content/ path)",
	  "noticeboard history：`%1` 不在任何一次公示里（请写它的编号 id 或 content/ 路径）" },
	{ "report", "noticeboard %s: unknown argument `%s`", "noticeboard %1：不认识的参数 `%2`" },
	{ "report", "noticeboard: unknown option `%s`", "noticeboard：不认识的选项 `%1`" },
	{ "report", "noticeboard: unknown command `%s`", "noticeboard：没有 `%1` 这个命令" },
	{ "report", "noticeboard: no command `%s`", "noticeboard：没有 `%1` 这个命令" },
	{ "report", "noticeboard: -s needs a folder", "noticeboard：-s 后面要写网站所在的文件夹" },
	{ "report", "noticeboard audit: --timeout wants seconds (1-86400), got `%s`",
	  "noticeboard audit：--timeout 后面要写秒数（1-86400），不能是 `%1`" },
	{ "report", "noticeboard audit: give the site's address or folder",
	  "noticeboard audit：请写出网站的网址或文件夹" },
	{ "report", "noticeboard %s: --as-of wants a real day written YYYY-MM-DD, e.g. 2025-03-07; got `%s`",
	  "noticeboard %1：--as-of 后面要写真实存在的日期，格式为 `YYYY-MM-DD`，例如 2025-03-07；不能是 `%2`" },
	{ "report", "noticeboard build: --publication wants a number or pub-N, got `%s`",
	  "noticeboard build：--publication 后面要写数字 N 或 pub-N，不能是 `%1`" },
	{ "report", "noticeboard check: unknown format `%s` (text or json)",
	  "noticeboard check：没有 `%1` 这种格式，--format 后面要写 `text` 或 `json`" },
	{ "report", "noticeboard serve: --port needs a number from 0 to 65535, got `%s`",
	  "noticeboard serve：--port 后面要写 0 到 65535 之间的数字，不能是 `%1`" },
	{ "report", "checked %zu documents: no errors", "已检查 %1 个文档，没有错误" },
	{ "report", "building %s …", "正在生成 %1 …" },
	{ "report", "noticeboard init: name the folder to create, e.g. `noticeboard init my-site`",
	  "noticeboard init：请写出要新建的文件夹，例如 `noticeboard init my-site`" },
	{ "report", "noticeboard init: --language must be zh-CN or en, got `%s`",
	  "noticeboard init：--language 只能是 zh-CN 或 en，不能是 `%1`" },
	{ "report", "noticeboard new: there is no kind `%s`: KIND must be meeting, decision, evaluation, charter, page or community",
	  "noticeboard new：没有 `%1` 这种文档；文档类型只能是 `meeting`（会议纪要）、`decision`（决议）、`evaluation`（评估）、`charter`（公约）、`page`（页面）或 `community`（社区）" },
	{ "report", "noticeboard new: name the kind of document to create, e.g. `noticeboard new meeting`",
	  "noticeboard new：请写出要新建的文档类型，例如 `noticeboard new meeting`" },
	{ "report", "noticeboard new: --date must be a real day written YYYY-MM-DD, e.g. 2025-03-07; got `%s`",
	  "noticeboard new：--date 后面要写真实存在的日期，格式为 `YYYY-MM-DD`，例如 2025-03-07；不能是 `%1`" },
	{ "report", "noticeboard new: `%s` is not a usable id: use letters, digits, '-' and '_', e.g. huaiyin-2025-03-plenary",
	  "noticeboard new：`%1` 不能用作编号：只能用字母、数字、- 和 _，例如 huaiyin-2025-03-plenary" },
	{ "@", "object", "对象" },
	{ "@", "folder", "文件夹" },
	{ "@", "tag", "标签" },
	{ "@", "commit", "提交" },
	{ "@", "its root folder", "根文件夹" },
	{ "@", "its commit", "它的提交" },
	{ "@", "the %s of pub-%zu", "pub-%2 的@1" },
	{ "@", "%s: not found (HTTP %ld)", "%1：找不到（HTTP %2）" },
	{ "@", "%s: not found", "%1：找不到" },
	{ "@", "%s: the server answered HTTP %ld", "%1：服务器回答 HTTP %2" },
	{ "@", "%s: larger than the limit of %llu bytes", "%1：超过了 %2 字节的上限" },
	{ "@", "%s is not a folder", "%1 不是文件夹" },
	{ "@", "%s: no audit repository is served at %s%s (a site serves it as audit.git/; give its address with --repo)",
	  "@1：%2%3 没有提供审计库（网站在 audit.git/ 提供它；在别处时请用 --repo 给出地址）" },
	{ "@", "%s%s lists no branch or tag", "%1%2 没有列出任何分支或标签" },
	{ "@", "%s%s is not a valid pack: %s", "%1%2 不是有效的包：%3" },
	{ "@", "%s%s is not a loose object (bad zlib data or too large)", "%1%2 不是零散对象（zlib 数据有误或太大）" },
	{ "@", "%s%s is not object %s: its content hashes otherwise", "%1%2 不是对象 %3：它的内容算出的哈希不同" },
	{ "@", "object %s is missing: neither the packs of %s%s nor %s%s hold it",
	  "缺少对象 %1：%2%3 的包和 %4%5 里都没有它" },
	{ "@", "refusing the path `%s`: it leaves %s", "拒绝路径 `%1`：它跑出了 %2" },
	{ "@", "the branch %s is missing but publications up to pub-%zu exist: the history was removed by someone else; refusing to publish",
	  "分支 %1 不见了，但 pub-%2 之前的公示都在：历史被别人删除了；拒绝在此发布" },
	{ "@", "the branch %s has commits but no pub-N tags; it was not written by noticeboard",
	  "分支 %1 有提交，但没有 pub-N 标签；它不是 noticeboard 写的" },
	{ "@", "the branch %s is not at pub-%zu: its history was rewritten or extended by someone else; noticeboard never rewrites history and refuses to publish onto it (restore the branch to pub-%zu)",
	  "分支 %1 不在 pub-%2：它的历史被别人改写或延长了；noticeboard 从不改写历史，也拒绝在其上发布（请把分支恢复到 pub-%3）" },
	{ "@", "publication pub-%zu is missing: the chain is broken", "公示 pub-%1 不见了：公示链断了" },
	{ "@", "pub-%zu is not an ancestor of pub-%zu: the history was rewritten", "pub-%1 不是 pub-%2 的前身：历史被改写了" },
	{ "@", "pub-%zu does not follow pub-%zu directly (its parent is %s): commits that are no publication were put between them",
	  "pub-%1 没有直接接在 pub-%2 之后（它的上一个提交是 %3）：两次公示之间被放进了不是公示的提交" },
	{ "@", "pub-%zu does not follow pub-%zu directly (it has %u parents): another history was merged into the chain",
	  "pub-%1 没有直接接在 pub-%2 之后（它有 %3 个上一个提交）：别的历史被合并进了公示链" },
	{ "@", "pub-1 has a parent commit: the history before the first publication was not written by noticeboard",
	  "pub-1 之前还有提交：第一次公示之前的历史不是 noticeboard 写的" },
	{ "@", "no publication %zu (no tag pub-%zu in %s)", "没有第 %1 次公示（%3 里没有 pub-%2 标签）" },
	{ "@", "no publication is waiting for its tag", "没有等待补上标签的公示" },
	{ "@", "not signed", "没有签名" },
	{ "@", "signed by a key not in %s", "签名所用的密钥不在 %1 里" },
	{ "@", "signed with a key other than %s", "签名所用的密钥不是 %1" },
	{ "@", "signed with the key of %s, but the publisher is %s: the signing key must be the publisher's own (audit.allowed_signers)",
	  "用 %1 的密钥签名，但发布者是 %2：签名密钥必须是发布者本人的（audit.allowed_signers）" },
	{ "@", "bad signature: %s", "签名无效：%1" },
	{ "@", "the tag names no tagger", "标签没有写明打标签的人" },
	{ "@", "history rewritten or rolled back: the branch was at %s when last audited, and the served branch does not contain it",
	  "历史被改写或回退：上次审计时分支在 %1，现在提供的分支不包含它" },
	{ "@", "history rolled back: pub-%lu was served when last audited and is gone now",
	  "历史被回退：上次审计时有 pub-%1，现在没有了" },
	{ "@", "history rewritten: pub-%lu named commit %s when last audited and names another now",
	  "历史被改写：上次审计时 pub-%1 指向提交 %2，现在指向另一个提交" },
	{ "@", "%s is not a state file this program wrote; move it away to start over",
	  "%1 不是本程序写的状态文件；把它移走即可重新开始" },
	{ "@", "%s was cut short or changed: it does not hold the history this program remembered; move it away to start over",
	  "%1 被截断或改动过：它没有保存本程序记下的历史；把它移走即可重新开始" },
	{ "@", "no folder to remember sites in: set XDG_STATE_HOME or HOME", "没有可以记录网站的文件夹：请设置 XDG_STATE_HOME 或 HOME" },
	{ "@", "cannot read %s: %s", "无法读取 %1：%2" },
	/* push's own lines (cli/cmd_push.c) */
	{ "@", "cannot create the mirror %s: %s", "无法建立镜像 %1：%2" },
	{ "@", "cannot run git to push to %s: %s", "无法运行 git，没有推送到 %1：%2" },
	{ "@", "%s refused the push (a mirror holding another history is never overwritten)",
	  "%1 拒绝了推送（镜像里若是另一段历史，绝不会被覆盖）" },
	{ "@", "no mirrors; list them in site.yaml under audit.mirrors, or give one: noticeboard push PATH-OR-URL",
	  "没有镜像：请在 site.yaml 的 audit.mirrors 下列出，或直接指定一个：noticeboard push 路径或网址" },
	{ "@", "no publications to push", "还没有可以推送的公示" },
	{ "@", "publication %zu is recorded but not tagged (a publish stopped between the two): pushing pub-1..pub-%zu; run `noticeboard publish`, which tags it, then push again",
	  "第 %1 次公示已记录但还没有标签（有一次发布在两步之间中断了）：这次只推送 pub-1 至 pub-%2；请先运行 `noticeboard publish` 补上标签，再推送一次" },
	{ "@", "cannot write %s: %s", "无法写入 %1：%2" },
	/* ---- the record's own errors (a->err, generator/audit/), which publish,
	 * verify, log, diff, history and push print whole and `audit`
	 * quotes: said to a secretary, with what to do ---- */
	{ "@", "I/O error: %s", "磁盘读写错误：@1" },
	{ "@", "another publish (pid %s) holds the lock %s; wait for it to finish, or use --wait SECONDS",
	  "另一次发布（进程号 @1）正在进行，它占用着锁 %2；请等它结束，或加上 --wait 秒数 让这次发布等它" },
	{ "@", "unknown", "未知" },
	{ "@", "cannot open the lock %s: %s", "无法打开锁文件 %1：%2" },
	{ "@", "cannot lock %s: %s", "无法锁定 %1：%2" },
	{ "@", "the audit repository %s was removed while waiting for its lock",
	  "等待锁的时候，审计仓库 %1 被删除了" },
	{ "@", "who is publishing? no publisher name or email is set (give --as \"NAME <EMAIL>\", or set GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, or git config --global user.name / user.email)",
	  "是谁在发布？没有设置发布者的姓名和邮箱（请加上 --as \"姓名 <邮箱>\"，或设置 GIT_AUTHOR_NAME 和 GIT_AUTHOR_EMAIL，或运行 git config --global user.name / user.email 设置）" },
	{ "@", "--as wants \"NAME <EMAIL>\", got `%s`",
	  "--as 要写成 \"姓名 <邮箱>\"，例如 --as \"李梅 <limei@example.org>\"；现在写的是 `%1`" },
	{ "@", "NB_PUBLISHER wants \"NAME <EMAIL>\", got `%s`",
	  "NB_PUBLISHER 要写成 \"姓名 <邮箱>\"，例如 \"李梅 <limei@example.org>\"；现在写的是 `%1`" },
	{ "@", "cannot make a signature: %s", "无法写明发布者：%1" },
	{ "@", "the branch %s is missing but publications up to pub-%zu exist on the branch %s; set audit.branch in site.yaml to `%s`",
	  "分支 %1 不存在，但分支 %3 上有到 pub-%2 为止的公示；请在 site.yaml 里把 audit.branch 设为 `%4`" },
	{ "@", "the branch %s ends in commit %s, which says it is publication %zu but is not signed with this site's key (%s): noticeboard did not make it and will not sign it; %s",
	  "分支 %1 的最后一个提交 %2 自称是第 %3 次公示，却没有用本网站的密钥签名（@4）：它不是 noticeboard 做的，noticeboard 也不会给它签名；@5" },
	{ "@", "restore the branch to pub-%zu", "请把分支恢复到 pub-%1" },
	{ "@", "delete the branch", "请删除这个分支" },
	{ "@", "%s; publication %zu is recorded on the branch %s but not tagged pub-%zu: once that is fixed, the next `noticeboard publish` tags and serves it",
	  "@1；第 %2 次公示已记录在分支 %3 上，但还没有 pub-%4 标签：问题解决后，下一次 `noticeboard publish` 会补上标签并发布网站" },
	{ "@", "no tag pub-%zu in %s", "%2 里没有 pub-%1 标签" },
	{ "@", "publication %zu: %s", "第 %1 次公示：@2" },
	{ "@", "manifest.json: document %s has no valid id, hash or first publication",
	  "manifest.json：文档 %1 没有有效的编号、哈希或首次公示" },
	{ "@", "manifest.json is not valid JSON: %s", "manifest.json 不是有效的 JSON：%1" },
	{ "@", "the publication has no %s", "这次公示里没有 %1" },
	{ "@", "audit.branch `%s` is not a valid git branch name",
	  "audit.branch `%1` 不是有效的 git 分支名；请在 site.yaml 里改用字母、数字和短横线，例如 `publications`" },
	{ "@", "the audit repository %s is inside the served folder %s; set audit.repository in site.yaml to a folder outside it",
	  "审计仓库 %1 在网站发布的文件夹 %2 里面（那样整个历史都会被发布出去）；请在 site.yaml 里把 audit.repository 设为这个文件夹以外的地方" },
	{ "@", "cannot create the audit repository: %s is not a git repository; move it away, or set audit.repository in site.yaml to the folder publish records to",
	  "无法建立审计仓库：%1 已经存在，但不是 git 仓库；请把它移走，或在 site.yaml 里把 audit.repository 设为发布时记录公示的文件夹" },
	{ "@", "%s is not a git repository; move it away, or set audit.repository in site.yaml to the folder publish records to",
	  "%1 不是 git 仓库；请把它移走，或在 site.yaml 里把 audit.repository 设为发布时记录公示的文件夹" },
	{ "@", "no audit repository at %s; run `noticeboard publish` first",
	  "%1 没有审计仓库；请先运行 `noticeboard publish` 发布一次" },
	{ "@", "%s changed while it was being published; publish again",
	  "%1 在发布过程中被改动了；请再发布一次" },
	{ "@", "the object %s for %s is missing from %s", "%3 里缺少 %2 的对象 %1" },
	{ "@", "the audit repository is damaged: the last publication's %s %s (%s) is missing, so nothing was recorded; run `noticeboard verify` to see what else is",
	  "审计仓库已损坏：上一次公示的@1 %2（%3）不见了，所以没有记录任何内容；请运行 `noticeboard verify` 查看还有哪里损坏了" },
	{ "@", "file", "文件" },
	{ "@", "the publication has no %s/", "这次公示里没有 %1/" },
	{ "@", "cannot read the folder %s: %s", "无法读取文件夹 %1：%2" },
	{ "@", "cannot hash or compress %s", "无法计算 %1 的哈希或压缩它" },
	{ "@", "cannot write the object %s in %s: %s", "无法把对象 %1 写入 %2：%3" },
	{ "@", "cannot read publication %zu's public/ tree", "无法读取第 %1 次公示的 public/ 文件夹" },
	{ "@", "I/O error: the recorded source site/%s%s (%s) cannot be read: %s",
	  "磁盘读取错误：记录的源文件 site/%1%2（%3）读不出来：%4" },
	{ "@", "the audit repository is damaged: the recorded source site/%s%s (%s) cannot be read: %s",
	  "审计仓库已损坏：记录的源文件 site/%1%2（%3）读不出来：%4" },
	{ "@", "the recorded sources hold `%s%s`, which is not a plain file or folder name; refusing to write it",
	  "记录的源文件里有 `%1%2`，它不是普通的文件名或文件夹名；拒绝写出它" },
	{ "@", "the publication records no sources (site/)", "这次公示没有记录源文件（site/）" },
	{ "@", "cannot create %s", "无法建立 %1" },
	{ "@", "cannot create %s: %s", "无法建立 %1：%2" },
	{ "@", "cannot copy %s: %s", "无法复制 %1：%2" },
	{ "@", "cannot create a temporary folder in %s", "无法在 %1 里建立临时文件夹" },
	{ "@", "cannot create a temporary folder: %s", "无法建立临时文件夹：%1" },
	{ "@", "cannot write temporary files in %s", "无法在 %1 里写入临时文件" },
	{ "@", "ssh-keygen could not sign with %s: %s", "ssh-keygen 无法用 %1 签名：%2" },
	{ "@", "ssh-keygen wrote no signature", "ssh-keygen 没有写出签名" },
	{ "@", "Permission denied", "没有读取权限" },
	{ "@", "cannot run ssh-keygen: %s", "无法运行 ssh-keygen：%1" },
	{ "@", "pushed %s and pub-1..pub-%zu to %s", "已把分支 %1 和 pub-1..pub-%2 推送到 %3" },
	{ "@", "cannot push to %s: git stopped (exit %d) for the reason it gave above",
	  "无法推送到 %1：git 中途停止（退出码 %2），原因见上面 git 的说明" },
	{ "@", "--wait wants a number of seconds from 0 to 86400, got `%s`",
	  "--wait 后面要写等待的秒数（0 到 86400），现在写的是 `%1`" },
	{ "@", "cannot read the public half of %s: %s", "无法读取 %1 的公钥：%2" },
	{ "@", "cannot read the commit", "无法读取提交" },
	{ "@", "cannot read the signature: %s", "无法读取签名：%1" },
	{ "@", "cannot read the tag: %s", "无法读取标签：%1" },
	{ "@", "cannot write the tag: %s", "无法写入标签：%1" },
	/* libgit2's failures: what was being done, then libgit2's reason
	 * (English, as libgit2 gives it) */
	{ "@", "cannot read the new publication: %s", "无法读取新的公示：%1" },
	{ "@", "cannot tag the publication: %s", "无法给公示打标签：%1" },
	{ "@", "cannot list tags: %s", "无法列出标签：%1" },
	{ "@", "cannot read the branch: %s", "无法读取分支：%1" },
	{ "@", "cannot read the last publication's tag: %s", "无法读取上一次公示的标签：%1" },
	{ "@", "cannot read the chain of publications: %s", "无法读取公示链：%1" },
	{ "@", "cannot read a publication's tag: %s", "无法读取公示的标签：%1" },
	{ "@", "cannot read a publication: %s", "无法读取公示：%1" },
	{ "@", "cannot read a publication's tree: %s", "无法读取公示的文件夹结构：%1" },
	{ "@", "cannot read an object: %s", "无法读取对象：%1" },
	{ "@", "cannot read the recorded sources: %s", "无法读取记录的源文件：%1" },
	{ "@", "cannot hash: %s", "无法计算哈希：%1" },
	{ "@", "cannot read the new tree: %s", "无法读取新的文件夹结构：%1" },
	{ "@", "cannot read the previous publication: %s", "无法读取上一次公示：%1" },
	{ "@", "cannot create the commit: %s", "无法建立提交：%1" },
	{ "@", "cannot write the commit: %s", "无法写入提交：%1" },
	{ "@", "cannot move the branch (did someone else publish?): %s",
	  "无法移动分支（是不是有人同时发布了？）：%1" },
	{ "@", "cannot write an object: %s", "无法写入对象：%1" },
	{ "@", "cannot open the object database: %s", "无法打开对象库：%1" },
	{ "@", "cannot prepare the object database: %s", "无法准备对象库：%1" },
	{ "@", "cannot write the publication's objects: %s", "无法写入这次公示的对象：%1" },
	{ "@", "cannot write the publication's pack: %s", "无法写入这次公示的包文件：%1" },
	{ "@", "cannot create the audit repository: %s", "无法建立审计仓库：%1" },
	{ "@", "cannot open the audit repository: %s", "无法打开审计仓库：%1" },
	{ "@", "cannot build a tree: %s", "无法建立文件夹结构：%1" },
	{ "@", "cannot add a folder to a tree: %s", "无法把文件夹加入文件夹结构：%1" },
	{ "@", "cannot add a file to a tree: %s", "无法把文件加入文件夹结构：%1" },
	{ "@", "cannot write a tree: %s", "无法写入文件夹结构：%1" },
	{ "@", "cannot read a tree: %s", "无法读取文件夹结构：%1" },
	{ "@", "cannot walk a tree: %s", "无法遍历文件夹结构：%1" },
	{ "@", "cannot pack the audit repository's loose objects: %s", "无法打包审计仓库的零散对象：%1" },
	{ "@", "cannot open the served copy's objects: %s", "无法打开发布副本的对象库：%1" },
	{ "@", "cannot start a pack: %s", "无法开始写包文件：%1" },
	{ "@", "cannot write the served copy's new pack: %s", "无法写入发布副本的新包文件：%1" },
	{ "@", "cannot list the audit repository's refs: %s", "无法列出审计仓库的分支和标签：%1" },
	{ "@", "cannot read a ref's object: %s", "无法读取分支或标签指向的对象：%1" },
	{ "@", "cannot peel a tag: %s", "无法读取标签指向的提交：%1" },
	/* publish's own lines around them (publish.c) */
	{ "@", "cannot remove %s/%s: %s", "无法删除 %1/%2：%3" },
	{ "@", "pub-%zu is recorded but cannot be served: %s",
	  "pub-%1 已经记录，但无法放到网站上：@2；解决后再运行一次 `noticeboard publish` 即可发布它" },
	{ "@", "recorded pub-%zu but cannot replace %s: %s",
	  "已记录 pub-%1，但无法替换 %2：%3；解决后再运行一次 `noticeboard publish` 即可发布它" },
	{ "@", "pub-%zu is recorded but cannot replace %s: %s",
	  "pub-%1 已经记录，但无法替换 %2：%3；解决后再运行一次 `noticeboard publish` 即可发布它" },
};

static const size_t catalog_len = sizeof(catalog) / sizeof(catalog[0]);

/* Length of the printf conversion at `p` (which points at '%'), 0 if it
 * is "%%" or not a conversion. */
static size_t conv_len(const char *p)
{
	const char *q = p + 1;
	if (*q == '%')
		return 0;
	while (*q && strchr("-+ #0", *q))
		q++;
	while ((*q >= '0' && *q <= '9') || *q == '.' || *q == '*')
		q++;
	while (*q && strchr("hlLzjt", *q))
		q++;
	if (*q && strchr("diouxXfFeEgGcsp", *q))
		return (size_t)(q - p) + 1;
	return 0;
}

#define MAX_CAPS 9

typedef struct {
	const char *at[MAX_CAPS];
	size_t len[MAX_CAPS];
	int n;
} caps;

/* Does `s` read as `pat`, conversions matching any text? Backtracks,
 * shortest capture first; messages are short. */
static int match(const char *pat, const char *s, caps *c)
{
	while (*pat) {
		if (*pat == '%') {
			size_t n = conv_len(pat);
			if (n) {
				if (c->n == MAX_CAPS)
					return 0;
				int k = c->n++;
				for (const char *e = s;; e++) {
					c->at[k] = s;
					c->len[k] = (size_t)(e - s);
					if (match(pat + n, e, c))
						return 1;
					if (!*e)
						break;
				}
				c->n = k;
				return 0;
			}
			pat++; /* "%%" is one literal '%' */
		}
		if (*pat != *s)
			return 0;
		pat++, s++;
	}
	return *s == '\0';
}

/* The entry for `text` among those of `code`, then the shared "*" ones;
 * pieces (code "@") are looked up alone, never as a whole message. */
static size_t captured(const caps *c)
{
	size_t n = 0;
	for (int i = 0; i < c->n; i++)
		n += c->len[i];
	return n;
}

/* When several entries match, the one that leaves least to the wildcards
 * is the one written for this text: "unsupported language `fr` in
 * `alternates`" is not "unsupported language `%s`" with a long %s. */
static const entry *find(const char *code, const char *text, caps *c)
{
	for (int pass = 0; pass < 2; pass++) {
		if (pass && !strcmp(code, "@"))
			break;
		const char *want = pass ? "*" : code;
		const entry *best = NULL;
		for (size_t i = 0; i < catalog_len; i++) {
			if (strcmp(catalog[i].code, want))
				continue;
			caps t = { .n = 0 };
			if (match(catalog[i].en, text, &t) &&
			    (!best || captured(&t) < captured(c))) {
				*c = t;
				best = &catalog[i];
			}
		}
		if (best)
			return best;
	}
	return NULL;
}

static void fill(nb_buf *out, const entry *e, const caps *c, int depth);

/* Whether `e` only joins two pieces ("%s or %s", "%s, %s"): it says
 * nothing of its own, so it fits any text with " or " in it. */
static int joins_two(const entry *e)
{
	const char *a = strstr(e->en, "%s"), *b = a ? strstr(a + 2, "%s") : NULL;
	return a == e->en && b && !b[2] && b - (a + 2) <= 4;
}

/* Whether `s` (n bytes) is a piece the catalog knows: one of its own, or
 * two such joined. Words quoted from below ("No such file or directory")
 * are then not cut at their " or " and half translated. */
static int known_piece(const char *s, size_t n, int depth)
{
	char *piece = strndup(s, n);
	if (!piece)
		abort();
	caps c;
	const entry *e = depth < 4 ? find("@", piece, &c) : NULL;
	int known = e && (!joins_two(e) ||
			  (c.n == 2 && known_piece(c.at[0], c.len[0], depth + 1) &&
			   known_piece(c.at[1], c.len[1], depth + 1)));
	free(piece);
	return known;
}

/* The system's words for the failures a secretary meets, by errno: the
 * C library's text (strerror) is what the message carries, so a captured
 * piece that is exactly that text is said in Chinese. Compared with the
 * library's own wording at run time, so another library's words are left
 * as they are rather than mistaken. Pieces that merely contain such words
 * (libgit2's "failed to resolve path 'x': No such file or directory")
 * stay whole, as everything quoted from below does. */
static const struct {
	int err;
	const char *zh;
} system_words[] = {
	{ ENOSPC, "磁盘空间已满" },
	{ EDQUOT, "超出了磁盘配额" },
	{ EACCES, "没有权限" },
	{ EPERM, "不允许这样操作" },
	{ EROFS, "磁盘是只读的" },
	{ ENOENT, "文件或文件夹不存在" },
	{ EEXIST, "已经存在" },
	{ ENOTDIR, "路径中有一段不是文件夹" },
	{ EISDIR, "这是一个文件夹" },
	{ ENOTEMPTY, "文件夹不是空的" },
	{ EIO, "磁盘读写出错" },
	{ ENAMETOOLONG, "文件名太长" },
	{ EMFILE, "同时打开的文件太多" },
	{ ELOOP, "符号链接嵌套太多" },
	{ EBUSY, "正被占用" },
	{ EXDEV, "不在同一个磁盘上" },
};

static void put_said(nb_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(system_words) / sizeof(system_words[0]); i++) {
		const char *en = strerror(system_words[i].err);
		if (strlen(en) == n && !memcmp(en, s, n)) {
			nb_buf_puts(out, system_words[i].zh);
			return;
		}
	}
	nb_buf_put(out, s, n);
}

/* A captured piece the program made (a type, a kind of document, a bound):
 * the shared word or phrase in Chinese, else as it was. Pieces the
 * secretary wrote (ids, names, values) are placed with %N and never
 * looked up, so a value that happens to read "list" stays "list". */
static void put_piece(nb_buf *out, const char *s, size_t n, int depth)
{
	char *piece = strndup(s, n);
	if (!piece)
		abort();
	caps c;
	const entry *e = depth < 4 && known_piece(s, n, depth) ? find("@", piece, &c) : NULL;
	if (e)
		fill(out, e, &c, depth + 1);
	else
		put_said(out, s, n);
	free(piece);
}

static void fill(nb_buf *out, const entry *e, const caps *c, int depth)
{
	for (const char *p = e->zh; *p; p++) {
		if ((*p == '%' || *p == '@') && p[1] >= '1' && p[1] <= '9') {
			int k = p[1] - '1';
			if (k < c->n && *p == '@')
				put_piece(out, c->at[k], c->len[k], depth);
			else if (k < c->n)
				put_said(out, c->at[k], c->len[k]);
			p++;
		} else if (*p == '%' && p[1] == '%') {
			nb_buf_putc(out, '%');
			p++;
		} else {
			nb_buf_putc(out, *p);
		}
	}
}

char *nb_diag_translate(const char *lang, const char *code, const char *text)
{
	if (!text)
		return NULL;
	caps c;
	const entry *e = NULL;
	if (lang && !strcmp(lang, "zh-CN"))
		e = find(code ? code : "", text, &c);
	if (!e) {
		char *s = strdup(text);
		if (!s)
			abort();
		return s;
	}
	nb_buf out = NB_BUF_INIT;
	fill(&out, e, &c, 0);
	return nb_buf_detach(&out);
}

int nb_diag_has_translation(const char *code)
{
	for (size_t i = 0; i < catalog_len; i++)
		if (!strcmp(catalog[i].code, code))
			return 1;
	return 0;
}

const char *nb_diag_language(const nb_diag *d)
{
	/* NB_LANG lets a script that reads the English text keep it, whatever
	 * the site's language. */
	const char *env = getenv("NB_LANG");
	if (env && (!strcmp(env, "en") || !strcmp(env, "zh-CN")))
		return env;
	return d && d->lang[0] ? d->lang : "zh-CN";
}

void nb_diag_set_language(nb_diag *d, const char *lang)
{
	if (lang && (!strcmp(lang, "en") || !strcmp(lang, "zh-CN")))
		snprintf(d->lang, sizeof(d->lang), "%s", lang);
}

const char *nb_diag_word(const char *lang, const char *en, const char *zh)
{
	return lang && !strcmp(lang, "zh-CN") ? zh : en;
}
