#!/bin/sh
# e2e_edits.sh - random sequences of a secretary's edits, each rebuilt in
# place and compared with a clean build of the same sources.
#
# e2e_incremental.sh walks through each kind of edit once, in an order
# chosen by hand. What reuses the previous build (the document memo, the
# page memo, the charter diffs' memo, the search index merged per
# document, the previous generation updated in place) can also go wrong
# in an order no one wrote down: an edit undone three builds later (the
# memo then holds a key it has seen before), a document deleted and then
# put back, a draft flag set under a template change, a build that fails
# half-way through a sequence. So here a seeded generator draws a few
# dozen edits from the catalogue below, each followed by a build or (one
# time in four) a publish, at a random thread count and as-of date, and
# after every one:
#
#   - the build in place and a clean build of a copy of the sources
#     (no cache, no memo, no previous output; for a publish, a clean
#     `build --publication N` from a copy of the record) exit with the
#     same status and print the same diagnostics;
#   - when they succeed, the two output folders are byte for byte the
#     same (diff -r);
#   - when they fail, the output folder is still the last good one, and
#     a failed publish recorded nothing;
#   - after a publish, every page is what the publication it names
#     recorded (checked with git), and `verify --rebuild N` passes.
#
# Which sequence runs is fixed by the seeds (NB_EDIT_SEEDS, default two
# of them), so a failure can be replayed: the suite prints the seed, the
# step and the edit. NB_EDIT_STEPS sets the length of each sequence, and
# NB_EDIT_VERBOSE=1 prints every step.
. "$(dirname "$0")/lib.sh"
NB=${1:?usage: e2e_edits.sh path/to/noticeboard}
case $NB in /*) ;; *) NB=$ROOT/$NB ;; esac
SEEDS=${NB_EDIT_SEEDS:-"1 2"}
STEPS=${NB_EDIT_STEPS:-30}
S=$TMP/site

# rnd N: a number in [0, N), the next of this seed's sequence. The count
# of draws is kept in a file, as most draws happen in a command
# substitution's subshell.
rnd() {
	_c=$(($(cat "$TMP/draws") + 1))
	echo "$_c" >"$TMP/draws"
	awk -v s="$SEED" -v c="$_c" -v n="$1" 'BEGIN { srand(s * 100003 + c); print int(rand() * n) }'
}
# pick FILE...: one of the arguments.
pick() {
	_i=$(rnd $#)
	shift "$_i"
	echo "$1"
}
docs() { (cd "$S" && find content -name '*.md' | LC_ALL=C sort); }
docs_of() { (cd "$S" && find "content/$1" -name '*.md' 2>/dev/null | LC_ALL=C sort); }
layouts() { (cd "$S" && find themes -name '*.mustache' | LC_ALL=C sort); }

# The edits. Each prints what it did (for the failure message); an edit
# with nothing to act on says so and changes nothing.
edit_body() {
	f=$(pick $(docs))
	printf '\n第%s步补记：居民代表提出的意见已转交有关方面。\n' "$STEP" >>"$S/$f"
	echo "body appended to $f"
}
edit_body_word() { # a word inside the body: charter articles, their comparisons
	f=$(pick $(docs_of charters) $(docs_of decisions))
	w=$(pick 居民 社区 自治会 物业 楼道)
	awk -v w="$w" -v to="${w}（第${STEP}步）" '
		fm < 2 && /^---$/ { fm++ }
		fm == 2 && !done && (i = index($0, w)) {
			$0 = substr($0, 1, i - 1) to substr($0, i + length(w)); done = 1 }
		{ print }' "$S/$f" >"$S/$f.tmp" && mv "$S/$f.tmp" "$S/$f"
	echo "a word ($w) changed in the body of $f"
}
edit_title() {
	f=$(pick $(docs))
	sed -i "0,/^title: .*/s//title: \"第${STEP}步改过的标题\"/" "$S/$f"
	echo "title of $f"
}
edit_date() {
	f=$(pick $(docs_of meetings) $(docs_of decisions))
	d=$(printf '%02d' $(($(rnd 28) + 1)))
	sed -i "0,/^date: \"\([0-9]*-[0-9]*\)-[0-9]*\"/s//date: \"\\1-$d\"/" "$S/$f"
	echo "date of $f: day $d"
}
edit_votes() {
	f=$(pick $(docs_of decisions))
	a=$(rnd 12); b=$(rnd 4); c=$(rnd 3)
	sed -i "s/^votes: {.*}/votes: {for: $a, against: $b, abstain: $c}/" "$S/$f"
	echo "votes of $f: $a/$b/$c"
}
edit_result() {
	f=$(pick $(docs_of decisions))
	r=$(pick adopted rejected)
	sed -i "s/^result: .*/result: \"$r\"/" "$S/$f"
	echo "result of $f: $r"
}
edit_indicator() {
	f=$(pick $(docs_of evaluations))
	v=0.$((10 + $(rnd 89)))
	k=$(pick informed participation satisfaction)
	sed -i "s/\\($k: \\)[0-9.]*/\\1$v/" "$S/$f"
	echo "$k of $f: $v"
}
edit_draft() {
	f=$(pick $(docs))
	if grep -q '^draft: true' "$S/$f"; then
		sed -i '/^draft: true/d' "$S/$f"
		echo "draft flag removed from $f"
	else
		sed -i '0,/^---$/s//---\ndraft: true/' "$S/$f"
		echo "draft flag set on $f"
	fi
}
edit_delete() {
	f=$(pick $(docs))
	mkdir -p "$TMP/deleted/$(dirname "$f")"
	mv "$S/$f" "$TMP/deleted/$f"
	echo "$f deleted"
}
edit_restore() {
	d=$( (cd "$TMP/deleted" 2>/dev/null && find content -name '*.md' | LC_ALL=C sort) )
	[ -n "$d" ] || { echo "nothing deleted to put back"; return; }
	f=$(pick $d)
	mkdir -p "$S/$(dirname "$f")"
	mv "$TMP/deleted/$f" "$S/$f"
	echo "$f put back"
}
edit_add() {
	f=$(pick $(docs_of meetings) $(docs_of decisions))
	n=$(dirname "$f")/added-$STEP.md
	sed "s/^id: .*/id: \"added-$STEP\"/; s/^title: .*/title: \"第${STEP}步新增\"/; /^supersedes:/d" \
		"$S/$f" >"$S/$n"
	echo "$n added (a copy of $f)"
}
edit_yaml_break() { # a build that fails: the output must stay as it was
	f=$(pick $(docs))
	sed -i '0,/^title: /s//title: "没有收尾的引号\n/' "$S/$f"
	echo "front matter of $f broken (a quote left open)"
}
edit_move() { # another file, the same document (its id is in the front matter)
	f=$(pick $(docs_of meetings) $(docs_of decisions) $(docs_of pages))
	n=$(dirname "$f")/moved-$STEP-$(basename "$f")
	mv "$S/$f" "$S/$n"
	echo "$f moved to $n"
}
edit_template() {
	f=$(pick $(layouts))
	if [ $(rnd 2) = 0 ]; then
		printf '\n<!-- step %s -->\n' "$STEP" >>"$S/$f"
		echo "comment added to $f"
	else
		cp "$ROOT/$f" "$S/$f" 2>/dev/null && echo "$f put back as shipped" ||
			echo "$f has no shipped copy"
	fi
}
edit_site() {
	if [ $(rnd 2) = 0 ]; then
		sed -i "s/^title: .*/title: 第${STEP}步的专栏/" "$S/site.yaml"
		echo "site title"
	else
		cp "$ROOT/site.yaml" "$S/site.yaml"
		echo "site.yaml put back as shipped"
	fi
}
edit_touch() {
	f=$(pick $(docs) site.yaml)
	touch "$S/$f"
	echo "$f touched (same bytes)"
}
edit_attachment() {
	f=$(cd "$S" && find content -type f ! -name '*.md' | LC_ALL=C sort)
	[ -n "$f" ] || { echo "no attachment"; return; }
	f=$(pick $f)
	printf '%s' "$STEP" >>"$S/$f"
	echo "attachment $f changed"
}
edit_undo() { # the sources of an earlier step, whole: keys seen before
	k=$(rnd "$STEP")
	[ -d "$TMP/snap/$k" ] || { echo "no snapshot $k"; return; }
	rm -rf "$S/content" "$S/themes" "$S/site.yaml"
	cp -r "$TMP/snap/$k/content" "$TMP/snap/$k/themes" "$TMP/snap/$k/site.yaml" "$S/"
	echo "sources of step $k put back"
}
EDITS="body body body_word body_word title title date votes votes result indicator indicator
draft draft delete restore add move template site touch attachment undo undo yaml_break"

# The clean build of a copy of the sources alone (and of the record, which
# a build reads for the history pages), into $TMP/clean; its status in
# $clean_rc, its diagnostics in $TMP/clean.err with the copy's path written
# as the site's. Arguments: more build options (--publication N).
clean_build() {
	rm -rf "$TMP/clean" "$TMP/cs" && mkdir -p "$TMP/cs"
	cp -r "$S/content" "$S/themes" "$S/site.yaml" "$TMP/cs/"
	[ ! -d "$S/audit.git" ] || cp -r "$S/audit.git" "$TMP/cs/"
	NB_JOBS=$jobs "$NB" -q -s "$TMP/cs" build --as-of "$asof" -o "$TMP/clean" "$@" 2>"$TMP/clean.raw"
	clean_rc=$?
	sed "s|$TMP/cs|$S|g" "$TMP/clean.raw" >"$TMP/clean.err"
}
pubs() { git --git-dir="$S/audit.git" tag -l 'pub-*' 2>/dev/null | wc -l; }

# One build (or publish) in place, judged against a clean build.
run_step() {
	n0=$(pubs)
	if [ "$mode" = publish ]; then
		NB_JOBS=$jobs "$NB" -q -s "$S" publish -m "step $STEP" --as-of "$asof" 2>"$TMP/inc.err"
		rc=$?
		n=$(pubs)
		if [ $rc -eq 0 ]; then
			[ "$n" -ge 1 ] && [ "$n" -le $((n0 + 1)) ] && ok ||
				fail "$where: $n0 publications before, $n after"
			clean_build --publication "$n" --audit-repo "$TMP/cs/audit.git"
		else
			[ "$n" = "$n0" ] && ok || fail "$where: a failed publish left $n publications, not $n0"
			clean_build
		fi
	else
		NB_JOBS=$jobs "$NB" -q -s "$S" build --as-of "$asof" 2>"$TMP/inc.err"
		rc=$?
		clean_build
	fi
	[ -z "$NB_EDIT_VERBOSE" ] || echo "  exit $rc: $(head -c 200 "$TMP/inc.err")"
	if [ $rc -ne $clean_rc ]; then
		fail "$where: in place exit $rc, clean exit $clean_rc"
		head -5 "$TMP/inc.err" "$TMP/clean.err" >&2
	elif ! cmp -s "$TMP/inc.err" "$TMP/clean.err"; then
		fail "$where: diagnostics differ from a clean build's"
		diff "$TMP/inc.err" "$TMP/clean.err" | head -10 >&2
	else
		ok
	fi
	if [ $rc -eq 0 ]; then
		if diff -r -x audit.git "$S/public" "$TMP/clean" >"$TMP/diff" 2>&1; then
			ok
		else
			fail "$where: output differs from a clean build"
			head -20 "$TMP/diff" >&2
		fi
		rm -rf "$TMP/good" "$TMP/goodsrc" && cp -r "$TMP/clean" "$TMP/good"
		cp -r "$TMP/cs" "$TMP/goodsrc"
	elif [ -d "$TMP/good" ]; then
		if diff -r -x audit.git "$S/public" "$TMP/good" >"$TMP/diff" 2>&1; then
			ok
		else
			fail "$where: a failed build changed the output folder"
			head -20 "$TMP/diff" >&2
		fi
	fi
	if [ "$mode" = publish ] && [ $rc -eq 0 ]; then
		bad=$(pages_named_by_record "$S/audit.git" "$S/public" "$n" | head -3)
		[ -z "$bad" ] && ok || fail "$where: pages not as the publication they name recorded them: $bad"
		"$NB" -q -s "$S" verify --rebuild "$n" >"$TMP/verify" 2>&1 && ok ||
			{ fail "$where: verify --rebuild $n"; head -5 "$TMP/verify" >&2; }
	fi
}

for SEED in $SEEDS; do
	rm -rf "$S" "$TMP/deleted" "$TMP/snap" "$TMP/good" "$TMP/goodsrc"
	rc=0
	day=0
	demo_copy "$S"
	echo 0 >"$TMP/draws"
	STEP=0
	while [ $STEP -lt "$STEPS" ]; do
		mkdir -p "$TMP/snap/$STEP"
		cp -r "$S/content" "$S/themes" "$S/site.yaml" "$TMP/snap/$STEP/"
		if [ $STEP = 0 ]; then
			what="first build"
		elif [ "$rc" -ne 0 ] && [ "$(rnd 2)" = 0 ]; then
			# Out of a failing state, often: the secretary mends the file.
			rm -rf "$S/content" "$S/themes" "$S/site.yaml"
			cp -r "$TMP/goodsrc/content" "$TMP/goodsrc/themes" "$TMP/goodsrc/site.yaml" "$S/"
			what="sources of the last good build put back"
		else
			e=$(pick $EDITS)
			what=$(edit_$e)
		fi
		jobs=$(pick 1 2 4)
		mode=$(pick build build build publish)
		if [ "$mode" = publish ]; then
			# A publication's as-of date may not go back (publish.c).
			[ "$(rnd 2)" = 0 ] || day=$((day + 1))
			asof=$(date -u -d "2026-12-01 + $day days" +%F)
		else
			asof=$(pick 2026-11-25 2026-11-25 2025-06-30 "$(date -u -d "2026-12-01 + $day days" +%F)")
		fi
		where="seed $SEED, step $STEP ($what; $mode, NB_JOBS=$jobs, --as-of $asof)"
		[ -z "$NB_EDIT_VERBOSE" ] || echo "$where"
		run_step
		STEP=$((STEP + 1))
	done
done

finish e2e_edits
