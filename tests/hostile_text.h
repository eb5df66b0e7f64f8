/*
 * hostile_text.h - strings that break naive JSON and HTML writers: quotes,
 * backslashes, every control character, '/', DEL, a closing script tag,
 * U+2028/2029, a BOM, CJK, emoji sequences, the largest code point. All
 * valid UTF-8 (jansson holds them). Shared by the tests that hold an
 * output to json_dumps (test_json, test_export).
 */
#ifndef NB_TEST_HOSTILE_TEXT_H
#define NB_TEST_HOSTILE_TEXT_H

static const char *const hostile[] = {
	"",
	"plain",
	"say \"hi\"",
	"back\\slash\\",
	"\\\"",
	"\b\f\n\r\t",
	"\x01\x02\x03\x04\x05\x06\x07\x0b\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
	"\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
	"del\x7f",
	"</script><!-- a/b //",
	"社区自治协调委员会（槐荫）",
	"emoji 😀 family 👨‍👩‍👧 flag 🇨🇳",
	"line\xE2\x80\xA8sep\xE2\x80\xA9para",
	"\xEF\xBB\xBF" "bom",
	"\xF4\x8F\xBF\xBF max",
	"mixed \"引号\"\n\t\\ 😀 \x1f end",
};
#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

#endif
