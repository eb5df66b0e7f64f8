#!/bin/sh
# e2e_bench_corpus.sh - the benchmark's corpus generator makes what the
# benchmark's figures claim to measure.
#
# A benchmark figure is only worth its corpus: a deep-history corpus that
# `noticeboard check` rejects would time error paths, and a wide corpus
# that drifts between versions of the generator would make the earlier
# figures in tests/bench/README.md incomparable. So this suite compiles
# tests/bench/gen_corpus.c (with the sanitizers) and checks, at sizes that
# keep it to a few seconds:
#   - the wide shape's tree at 300 documents hashes to the value recorded
#     below (the generator's output before the deep shape was added);
#   - the deep shape at 300 documents is recorded likewise, and passes
#     `noticeboard check` without a single diagnostic;
#   - the deep shape's structure: N/1000 communities, each with half its
#     documents meetings, a twentieth charter versions, a tenth quarterly
#     evaluations with unique periods;
#   - charter versions are amended (one to three articles changed) or,
#     with --rewritten 100, rewritten (every article changed);
#   - the many shape: 2,000 documents are 200 communities in 10 streets,
#     clean under check; built, no page grows with the communities;
#   - bad options are a usage error (exit 2), not a silently ignored flag.
. "$(dirname "$0")/lib.sh"
NB=${1:?usage: e2e_bench_corpus.sh path/to/noticeboard}
case $NB in /*) ;; *) NB=$ROOT/$NB ;; esac
GEN=$TMP/gen_corpus

# Recorded trees (sha256 of "sha256sum" over every file, sorted by path).
WIDE_300=5ee5447207d3e3bbf4d4681108e14be2c15d9f176accb927fb0ce1d0c94020bb
DEEP_300=1ee2d8dce7950e71a2ed18da3c9469bfa84740c784c30f1945e8c8c9714f1f40

tree_hash() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-64); }
count() { find "$1" -name '*.md' | wc -l | tr -d ' '; }

if ! ${CC:-cc} -std=c17 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -o "$GEN" "$ROOT/tests/bench/gen_corpus.c" 2>"$TMP/cc"; then
	fail "gen_corpus.c does not compile"
	cat "$TMP/cc" >&2
	finish e2e_bench_corpus
	exit 1
fi

# ---- wide: unchanged output, still valid
"$GEN" --seed 42 --docs 300 --out "$TMP/w300" || fail "wide 300: generator failed"
h=$(tree_hash "$TMP/w300")
if [ "$h" = "$WIDE_300" ]; then ok; else fail "wide 300: tree changed ($h); earlier figures would no longer be comparable"; fi
"$GEN" --shape wide --seed 42 --docs 300 --out "$TMP/w300b"
check "--shape wide is the default shape" diff -r "$TMP/w300" "$TMP/w300b"
check "wide 300 passes check" "$NB" -q -s "$TMP/w300" check

# ---- deep: recorded, deterministic, clean under check
"$GEN" --shape deep --seed 42 --docs 300 --out "$TMP/d300" || fail "deep 300: generator failed"
h=$(tree_hash "$TMP/d300")
if [ "$h" = "$DEEP_300" ]; then ok; else fail "deep 300: tree changed ($h)"; fi
[ "$(count "$TMP/d300/content")" = 300 ] && ok || fail "deep 300: not 300 documents"
if "$NB" -s "$TMP/d300" check >"$TMP/check.out" 2>&1 && [ ! -s "$TMP/check.out" ]; then
	ok
else
	fail "deep 300 does not pass check cleanly"
	head -20 "$TMP/check.out" >&2
fi
"$GEN" --shape deep --seed 43 --docs 300 --out "$TMP/d300s43"
if diff -r "$TMP/d300" "$TMP/d300s43" >/dev/null 2>&1; then fail "deep: the seed changes nothing"; else ok; fi

# ---- --base-url (the bench's corpus has a published site's address):
# site.yaml alone differs, and the site still passes check
"$GEN" --shape deep --seed 42 --docs 300 --base-url https://bench.example.org/ --out "$TMP/d300u" ||
	fail "deep 300 --base-url: generator failed"
grep -q '^base_url: "https://bench.example.org/"$' "$TMP/d300u/site.yaml" && ok ||
	fail "--base-url is not site.yaml's base_url"
diff -r -x site.yaml -x .noticeboard-cache -x public "$TMP/d300" "$TMP/d300u" >/dev/null 2>&1 && ok ||
	fail "--base-url changed more than site.yaml"
check "deep 300 with an absolute base_url passes check" "$NB" -q -s "$TMP/d300u" check
"$GEN" --base-url '' --seed 1 --docs 300 --out "$TMP/u" 2>"$TMP/err"
[ $? = 2 ] && grep -q usage "$TMP/err" && ok || fail "gen_corpus --base-url '': want exit 2 with usage"

# ---- deep structure at 2,000 documents: 2 communities of 1,000 (less
# the site's one page), each 500 meetings, 50 charter versions, 100
# quarterly evaluations with unique periods, the rest decisions.
D=$TMP/d2000
"$GEN" --shape deep --seed 42 --docs 2000 --out "$D" || fail "deep 2000: generator failed"
C=$D/content
[ "$(count "$C")" = 2000 ] && ok || fail "deep 2000: $(count "$C") documents, not 2000"
[ "$(count "$C/communities")" = 2 ] && ok || fail "deep 2000: $(count "$C/communities") communities, not 2"
for c in c000 c001; do
	m=$(grep -rl "^community: \"$c\"" "$C/meetings" | wc -l | tr -d ' ')
	v=$(count "$C/charters/$c")
	e=$(grep -rl "^community: \"$c\"" "$C/evaluations" | wc -l | tr -d ' ')
	q=$(grep -rh '^period: ' $(grep -rl "^community: \"$c\"" "$C/evaluations") |
		grep -c '^period: "[0-9]\{4\}-Q[1-4]"$')
	u=$(grep -rh '^period: ' $(grep -rl "^community: \"$c\"" "$C/evaluations") | sort -u | wc -l | tr -d ' ')
	case "$m $v $e" in
	"499 49 99" | "500 50 100") ok ;;
	*) fail "deep 2000, $c: $m meetings, $v charter versions, $e evaluations (want ~500/50/100)" ;;
	esac
	[ "$q" = "$e" ] && [ "$u" = "$e" ] && ok || fail "deep 2000, $c: $q quarterly and $u distinct periods of $e"
	first=$(grep -h '^date: ' $(grep -rl "^community: \"$c\"" "$C/meetings") | sort | head -1)
	last=$(grep -h '^date: ' $(grep -rl "^community: \"$c\"" "$C/meetings") | sort | tail -1)
	case "$first $last" in
	'date: "2001-'*' date: "2025-'*) ok ;;
	*) fail "deep 2000, $c: meetings from $first to $last, not 2001-2025" ;;
	esac
done

# ---- a deep history's trend charts: a chart draws the newest 64 periods
# (render/chart.c); of c000's 100 quarters its caption says so, in the
# site's language, and where every period is (the table below it, one row
# per period). The page of a period older than the newest 64 draws the 64
# up to it and says its own is among them; a community of fewer periods
# (deep 300: 29) has no such caption.
"$NB" -q -s "$D" build --as-of 2025-12-31 || fail "deep 2000 does not build"
e=$(grep -rl '^community: "c000"' "$C/evaluations" | wc -l | tr -d ' ')
E=$D/public/evaluations
note="图中只画出最近 64 期（共 $e 期）；全部各期见下表。"
older="图中只画出含本期在内的 64 期（共 $e 期）；全部各期见下表。"
n=$(grep -o '<span class="chart-partial">[^<]*</span>' "$E/c000-e-2025-Q4/index.html" | grep -cF ">$note<")
[ "$n" = 6 ] && ok || fail "deep 2000: the latest page's 6 charts say they draw 64 of $e periods ($n do)"
rows=$(grep -o '<tr[^>]*><th scope="row">' "$E/c000-e-2025-Q4/index.html" | wc -l | tr -d ' ')
[ "$rows" = "$e" ] && ok || fail "deep 2000: the table below lists $rows periods, not $e"
n=$(grep -cF ">$note<" "$D/public/communities/c000/index.html")
[ "$n" -ge 1 ] && ok || fail "deep 2000: the community page's charts say nothing of the periods left out"
n=$(grep -o '<span class="chart-partial">[^<]*</span>' "$E/c000-e-2001-Q1/index.html" | grep -cF ">$older<")
[ "$n" = 6 ] && ok || fail "deep 2000: the oldest period's charts do not say they draw 64 of $e periods with its own ($n)"
"$NB" -q -s "$TMP/d300" build --as-of 2025-12-31 || fail "deep 300 does not build"
grep -rq --include='*.html' 'chart-partial' "$TMP/d300/public" && fail "deep 300: a chart of every period says periods are left out" || ok
# Built, every evaluation page's six trend charts mark its own period: a
# chart draws 64 periods, and the page of a period older than the newest
# 64 drew them without its own, under a caption saying it was marked.
bad=
for e in c000-e-2001-Q1 c000-e-2009-Q4 c000-e-2010-Q1 c001-e-2025-Q4; do
	n=$(grep -o 'class="chart-dot is-current"' "$D/public/evaluations/$e/index.html" | wc -l)
	[ "$n" = 6 ] || bad="$bad $e:$n"
done
[ -z "$bad" ] && ok || fail "deep 2000: evaluation pages whose charts do not mark their period:$bad"

# ---- amended and rewritten charters: compare each article's text (the
# paragraph under its heading) of v1 and v2, position by position.
articles() { awk 'p == 2 && /^## / { getline; getline; print } /^---$/ { p++ }' "$1"; }
changed() { # changed V1 V2: how many of v1's articles differ in v2
	articles "$1" >"$TMP/a1"
	articles "$2" | head -n "$(wc -l <"$TMP/a1")" >"$TMP/a2"
	paste -d '\n' "$TMP/a1" "$TMP/a2" | awk 'NR % 2 { a = $0; next } $0 != a { n++ } END { print n + 0 }'
}
"$GEN" --shape deep --rewritten 0 --seed 42 --docs 300 --out "$TMP/am"
"$GEN" --shape deep --rewritten 100 --seed 42 --docs 300 --out "$TMP/rw"
bad=0
for v in 2 5 9 14; do
	n=$(changed "$TMP/am/content/charters/c000/v$((v - 1)).md" "$TMP/am/content/charters/c000/v$v.md")
	[ "$n" -ge 1 ] && [ "$n" -le 3 ] || { bad=1; fail "amended v$v: $n articles changed, want 1-3"; }
	n=$(changed "$TMP/rw/content/charters/c000/v$((v - 1)).md" "$TMP/rw/content/charters/c000/v$v.md")
	all=$(articles "$TMP/rw/content/charters/c000/v$((v - 1)).md" | wc -l | tr -d ' ')
	[ "$n" = "$all" ] && [ "$all" -ge 10 ] || { bad=1; fail "rewritten v$v: $n of $all articles changed"; }
done
[ "$bad" = 0 ] && ok
check "rewritten charters pass check" "$NB" -q -s "$TMP/rw" check

# ---- many: a city's small communities, 2,000 documents = 200 communities
# twenty to a street, clean under check. Built, no page grows with the
# number of communities: none over 100 KB (the filters on every list page,
# the home page and the comparison of evaluations named each of the 200,
# the comparison 560 KB), and a list page names at most a dozen of them.
M=$TMP/m2000
"$GEN" --shape many --seed 42 --docs 2000 --out "$M" || fail "many 2000: generator failed"
[ "$(count "$M/content")" = 2000 ] && ok || fail "many 2000: $(count "$M/content") documents"
[ "$(count "$M/content/communities")" = 200 ] && ok || fail "many 2000: $(count "$M/content/communities") communities"
s=$(grep -h '^street: ' "$M"/content/communities/*.md | sort -u | wc -l | tr -d ' ')
[ "$s" = 10 ] && ok || fail "many 2000: $s streets, want 10"
[ "$(count "$M/content/evaluations")" -ge 200 ] && ok || fail "many 2000: too few evaluations"
if "$NB" -s "$M" check >"$TMP/check.out" 2>&1 && [ ! -s "$TMP/check.out" ]; then
	ok
else
	fail "many 2000 does not pass check cleanly"
	head -20 "$TMP/check.out" >&2
fi
check "many 2000 builds" "$NB" -q -s "$M" build --as-of 2025-06-01
big=$(find "$M/public" -name '*.html' -size +100000c)
[ -z "$big" ] && ok || fail "many 2000: pages over 100 KB: $(ls -l $big | head -5)"
n=$(grep -o 'href="/decisions/community/c[0-9]*/"' "$M/public/decisions/index.html" | wc -l | tr -d ' ')
[ "$n" -le 12 ] && ok || fail "many 2000: the decisions list names $n communities"
# The search page's way to browse without script follows the footer's rule.
n=$(grep -o 'href="/communities/c[0-9]*/"' "$M/public/search/index.html" | wc -l | tr -d ' ')
[ "$n" = 0 ] && grep -q 'href="/communities/">[^<]*200' "$M/public/search/index.html" && ok ||
	fail "many 2000: the search page names $n communities, or no link to all 200"
[ -f "$M/public/evaluations/compare/page/10/index.html" ] && ok ||
	fail "many 2000: the comparison of 200 communities is not in pages of 20"

# ---- usage errors
for args in "--shape tall" "--shape wide --rewritten 5" "--shape deep --rewritten 101" \
	"--shape many --rewritten 5"; do
	"$GEN" $args --seed 1 --docs 300 --out "$TMP/u" 2>"$TMP/err"
	rc=$?
	[ "$rc" = 2 ] && grep -q usage "$TMP/err" && ok || fail "gen_corpus $args: exit $rc, want 2 with usage"
done

finish e2e_bench_corpus
