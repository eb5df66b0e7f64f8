"""Check every list of a built site page by page (tests/e2e_lists.sh).

usage: lists-check.py SITE_DIR OUT_DIR PAGE_SIZE

Reads the documents' ids and dates from SITE_DIR/content (front matter, by
pattern: enough for the sites the tests generate), then follows each list
(a kind's, and every filter page under it) from its first page by
rel="next" and checks: each page holds PAGE_SIZE items (the last one at
most that), says which page it is of how many, links back by rel="prev";
no item is on two pages; the pages together hold as many items as the
list's count says and, for a kind's own list, exactly that kind's
documents; and items run newest first (an evaluation by the end of its
period). Prints one line per failure; exits 1 on any.
"""
import os
import re
import sys

site, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
QEND = {"1": "03-31", "2": "06-30", "3": "09-30", "4": "12-31"}
failures = []


def fail(msg):
    failures.append(msg)
    print("  " + msg)


def when(fm):
    m = re.search(r'^(?:date|effective): *"?(\d{4}-\d\d-\d\d)', fm, re.M)
    if m:
        return m.group(1)
    m = re.search(r'^period: *"?(\d{4})(?:-Q([1-4]))?"?\s*$', fm, re.M)
    if m:
        return m.group(1) + "-" + (QEND[m.group(2)] if m.group(2) else "12-31")
    return ""


docs = {}
content = os.path.join(site, "content")
for root, _, files in os.walk(content):
    for f in files:
        if not f.endswith(".md"):
            continue
        path = os.path.join(root, f)
        rel = os.path.relpath(path, content)
        kind = rel.split(os.sep)[0]
        text = open(path, encoding="utf-8").read()
        fm = text.split("---", 2)[1] if text.startswith("---") else ""
        if re.search(r"^draft: *true", fm, re.M):
            continue
        m = re.search(r'^id: *"?([^"\n]+?)"?\s*$', fm, re.M)
        did = m.group(1) if m else os.path.splitext(rel.split(os.sep, 1)[1])[0]
        docs.setdefault(kind, {})["/%s/%s/" % (kind, did)] = when(fm)


def read(url):
    path = os.path.join(out, url.lstrip("/"), "index.html")
    try:
        return open(path, encoding="utf-8").read()
    except OSError:
        fail("%s: no such page" % url)
        return None


def walk(first, kind):
    url, seen, order, no, total = first, set(), [], 1, None
    html = read(url)
    if html is None:
        return
    m = re.search(r'class="list-count">\D*(\d+)', html)
    count = int(m.group(1)) if m else -1
    prev = None
    while html is not None:
        items = re.findall(r'class="item-title"><a href="([^"]+)"', html)
        label = re.search(r'class="pagination-label">第 (\d+) 页，共 (\d+) 页<', html)
        if label:
            if int(label.group(1)) != no:
                fail("%s says it is page %s, expected %d" % (url, label.group(1), no))
            total = int(label.group(2))
        elif no > 1 or count > size:
            fail("%s: no 第 N 页，共 M 页 on a list of %d items" % (url, count))
        p = re.search(r'<link rel="prev" href="([^"]+)"', html)
        if (p.group(1) if p else None) != prev:
            fail("%s: rel=prev is %s, expected %s" % (url, p and p.group(1), prev))
        if prev and 'rel="prev">' not in html:
            fail("%s: no visible link with rel=prev" % url)
        n = re.search(r'<link rel="next" href="([^"]+)"', html)
        if len(items) > size or (n and len(items) != size):
            fail("%s holds %d items, page size %d" % (url, len(items), size))
        for it in items:
            if it in seen:
                fail("%s: %s is on two pages of %s" % (url, it, first))
            seen.add(it)
            order.append(it)
        if not n:
            break
        if 'rel="next">' not in html:
            fail("%s: no visible link with rel=next" % url)
        prev, url, no = url, n.group(1), no + 1
        html = read(url)
    if total is not None and total != no:
        fail("%s: says %d pages, has %d" % (first, total, no))
    if count != len(seen):
        fail("%s: says %d items, its pages hold %d" % (first, count, len(seen)))
    mine = docs.get(kind, {})
    if first == "/%s/" % kind and seen != set(mine):
        fail("%s: lists %d of the kind's %d documents" % (first, len(seen & set(mine)), len(mine)))
    keys = [mine.get(u, "") for u in order]
    for a, b, ua, ub in zip(keys, keys[1:], order, order[1:]):
        if a and b and a < b:
            fail("%s: %s (%s) before %s (%s): not newest first" % (first, ua, a, ub, b))
            break
    return len(seen)


lists = 0
for kind in sorted(docs):
    if kind in ("communities", "pages") or not os.path.isdir(os.path.join(out, kind)):
        continue
    walk("/%s/" % kind, kind)
    lists += 1
    base = os.path.join(out, kind)
    for d in sorted(os.listdir(base)):
        if re.fullmatch(r"\d{4}", d):
            walk("/%s/%s/" % (kind, d), kind)
            lists += 1
        elif d in ("community", "status", "category"):
            for v in sorted(os.listdir(os.path.join(base, d))):
                walk("/%s/%s/%s/" % (kind, d, v), kind)
                lists += 1
print("lists-check: %d lists, %d failures" % (lists, len(failures)))
sys.exit(1 if failures else 0)
