"""Check one publication's history pages (tests/e2e_lists.sh).

usage: history-check.py AUDIT_REPO OUT_DIR PUB PAGE_SIZE

Reads the document ids of publication PUB from the audit repository
(pub-PUB:manifest.json) and of the one before it, then follows
/history/PUB/ from its first page by rel="next" and checks: each page
holds at most PAGE_SIZE document entries and says which page it is of
how many; every document added, amended or removed in PUB is on exactly
one page and nothing else is; and every document page's link to PUB
("first published in" / "amended in") lands on the page that holds the
document's anchor. Prints one line per failure; exits 1 on any.
"""
import json
import os
import re
import subprocess
import sys

repo, out, pub, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
failures = []


def fail(msg):
    failures.append(msg)
    print("  " + msg)


def manifest(n):
    if n < 1:
        return {}
    raw = subprocess.run(["git", "--git-dir", repo, "show", "pub-%d:manifest.json" % n],
                         check=True, capture_output=True).stdout
    return json.loads(raw)["documents"]


def anchor(i):
    return "doc-" + re.sub(r"[^A-Za-z0-9_-]", "-", i)


new, old = manifest(pub), manifest(pub - 1)
want = set()
for path, d in new.items():
    if path not in old or old[path]["hash"] != d["hash"]:
        want.add(anchor(d["id"]))
for path, d in old.items():
    if path not in new:
        want.add(anchor(d["id"]))

base = "/history/%d/" % pub
url, pages, seen = base, 0, {}
while url:
    pages += 1
    f = os.path.join(out, url.lstrip("/"), "index.html")
    html = open(f, encoding="utf-8").read()
    ids = re.findall(r'id="(doc-[^"]*)"', html)
    if len(ids) > size:
        fail("%s holds %d entries (page size %d)" % (url, len(ids), size))
    for i in ids:
        if i in seen:
            fail("%s is on %s and %s" % (i, seen[i], url))
        seen[i] = url
    m = re.search(r'<link rel="next" href="([^"]*)">', html)
    url = m.group(1) if m else None
    if pages > 10000:
        fail("rel=next does not end")
        break
if pages > 1 and not re.search(r"第 1 页，共 %d 页" % pages,
                               open(os.path.join(out, base.lstrip("/"), "index.html"),
                                    encoding="utf-8").read()):
    fail("%s does not say 第 1 页，共 %d 页" % (base, pages))
missing = want - set(seen)
extra = set(seen) - want
if missing:
    fail("%d documents of publication %d on no page, e.g. %s" % (len(missing), pub, sorted(missing)[:3]))
if extra:
    fail("%d entries not of publication %d, e.g. %s" % (len(extra), pub, sorted(extra)[:3]))

# Every link into this publication from anywhere lands on its document.
links = 0
for root, _, files in os.walk(out):
    for name in files:
        if not name.endswith(".html"):
            continue
        html = open(os.path.join(root, name), encoding="utf-8").read()
        for href in re.findall(r'href="(%s[^"#]*)#(doc-[^"]*)"' % re.escape(base), html):
            links += 1
            page, a = href
            if seen.get(a) != page:
                fail("%s links %s#%s; the entry is on %s" % (os.path.relpath(os.path.join(root, name), out), page, a, seen.get(a)))
if not links:
    fail("no page links into %s" % base)
print("history %d: %d entries on %d pages, %d links checked" % (pub, len(seen), pages, links))
sys.exit(1 if failures else 0)
