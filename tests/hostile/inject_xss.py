#!/usr/bin/env python3
"""inject_xss.py NB SITE AS_OF - turn a copy of the demo site into the XSS corpus.

Every quoted string in every document's front matter gets script payloads
appended, and every body gets a block of Markdown/HTML payloads. Fields whose
values are checked (ids, dates, references, enums) reject the payload; the
script asks `check --format json` which lines were refused and puts those
back, repeating until the site checks clean. So whatever free text the
schemas accept, in any field, carries a payload: no list of fields to keep
up to date. Every payload contains XSSMARK so tests can see it arrived, and
each one, if it ever ran, sets window.__xss or the title, or fetches
/xss-ran, which the browser test watches for.
"""
import json, os, re, subprocess, sys

NB, SITE, AS_OF = sys.argv[1], sys.argv[2], sys.argv[3]

FIELD = ('XSSMARK<script>window.__xss=1;document.title="PWNED"</script>'
         '<img src=x onerror="window.__xss=2"><svg onload="window.__xss=3">'
         '"><script>window.__xss=5</script>\' onmouseover=\'window.__xss=7\' '
         '&lt;script&gt;window.__xss=6&lt;/script&gt; &#60;script&#62;window.__xss=8'
         ' javascript:window.__xss=4')
BODY = '''

XSSMARK body payloads:

<script>window.__xss=10;fetch("/xss-ran")</script>

<img src=x onerror="window.__xss=11">

<svg><script>window.__xss=12</script></svg>

<svg onload="window.__xss=13"></svg>

<iframe src="javascript:window.top.__xss=14"></iframe>

<a href="javascript:window.__xss=15">a link</a> and <a href="jav&#x09;ascript:window.__xss=16">another</a>

[md link](javascript:window.__xss=17) [data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTg8L3NjcmlwdD4=)
[entity link](&#106;avascript:window.__xss=19) [upper](JaVaScRiPt:window.__xss=20)
![img](javascript:window.__xss=21) <javascript:window.__xss=22>

<div style="background:url(javascript:window.__xss=23)" onclick="window.__xss=24">styled</div>

<details open ontoggle="window.__xss=25">x</details>

<form action="javascript:window.__xss=26"><button>go</button></form>

<object data="data:text/html,<script>window.__xss=27</script>"></object>

<base href="https://evil.example/">

<meta http-equiv="refresh" content="0;url=javascript:window.__xss=28">

`<script>in code</script>`

    <script>in an indented code block</script>
'''

QUOTED = re.compile(r'^(\s*(?:- )?(?:[A-Za-z_][\w-]*: )?)"(.*)"(\s*)$')


def docs():
    for root, _, files in os.walk(os.path.join(SITE, 'content')):
        for f in files:
            if f.endswith('.md'):
                yield os.path.relpath(os.path.join(root, f), SITE)


def split(text):
    if not text.startswith('---\n'):
        return None
    end = text.find('\n---\n', 4)
    if end < 0:
        return None
    return text[:end + 1].split('\n'), text[end + 1:]


originals = {}
for rel in docs():
    path = os.path.join(SITE, rel)
    text = open(path, encoding='utf-8').read()
    parts = split(text)
    if not parts:
        continue
    lines, rest = parts
    originals[rel] = list(lines)
    new = []
    for i, line in enumerate(lines):
        m = QUOTED.match(line)
        if i > 0 and m:
            val = json.dumps(m.group(2) + ' ' + FIELD, ensure_ascii=False)
            line = m.group(1) + val + m.group(3)
        new.append(line)
    open(path, 'w', encoding='utf-8').write('\n'.join(new) + rest.rstrip('\n') + BODY)

for rnd in range(8):
    r = subprocess.run([NB, '-s', SITE, 'check', '--as-of', AS_OF, '--format', 'json'],
                       capture_output=True, text=True)
    try:
        diags = json.loads(r.stdout)['diagnostics']
    except Exception:
        sys.exit('check printed no JSON: ' + r.stdout[:500] + r.stderr[:500])
    errs = [d for d in diags if d['severity'] == 'error']
    if not errs:
        break
    for d in errs:
        rel = d['file']
        if rel not in originals:
            continue
        path = os.path.join(SITE, rel)
        text = open(path, encoding='utf-8').read()
        lines, rest = split(text)
        ln = d.get('line') or 0
        if 1 < ln <= len(lines) and lines[ln - 1] != originals[rel][ln - 1]:
            lines[ln - 1] = originals[rel][ln - 1]
        else:  # no usable line: put the whole front matter back
            lines = originals[rel]
        open(path, 'w', encoding='utf-8').write('\n'.join(lines) + rest)
else:
    sys.exit('site does not check clean after reverting refused fields: ' +
             '; '.join('%s:%s: %s' % (d['file'], d['line'], d['message']) for d in errs[:5]))

kept = sum(1 for rel in originals
           for a, b in zip(split(open(os.path.join(SITE, rel), encoding='utf-8').read())[0],
                           originals[rel]) if a != b)
print('xss corpus: %d documents, %d front-matter fields carry payloads, %d body payloads each'
      % (len(originals), kept, BODY.count('xss=')))
