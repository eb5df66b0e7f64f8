#!/usr/bin/env python3
"""check_html.py DIR... - parse every generated page and list live script.

Grep cannot tell `onerror=` in escaped text from an attribute; a real HTML
tokenizer can. A page fails when it lacks the Content-Security-Policy meta,
or has an inline <script> (no src) or one from another host, an on*
event-handler or style attribute, a javascript:/vbscript:/data: URL (other
than data:image) in a URL attribute, or an <iframe>, <object>, <embed>,
<base> or meta refresh. Prints one line per offence and a total; exits 1
when there is any.
"""
import html.parser, os, re, sys

URL_ATTRS = {'href', 'src', 'action', 'formaction', 'data', 'poster', 'xlink:href', 'background'}
BAD_TAGS = {'iframe', 'object', 'embed', 'base', 'frame', 'applet'}
CSP = "default-src 'self'; script-src 'self'"


class Page(html.parser.HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.bad, self.csp = name, [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        where = '%s:%d: <%s>' % (self.name, self.getpos()[0], tag)
        if tag == 'meta' and (a.get('http-equiv') or '').lower() == 'content-security-policy':
            self.csp = (a.get('content') or '').startswith(CSP)
        if tag == 'meta' and (a.get('http-equiv') or '').lower() == 'refresh':
            self.bad.append(where + ' meta refresh')
        if tag in BAD_TAGS:
            self.bad.append(where + ' not allowed')
        if tag == 'script':
            src = a.get('src')
            if not src:
                self.bad.append(where + ' inline script')
            elif re.match(r'^\s*([a-z]+:)?//', src, re.I):
                self.bad.append(where + ' script from another host: ' + src)
        for k, v in attrs:
            if k.startswith('on'):
                self.bad.append(where + ' event handler ' + k)
            if k == 'style':
                self.bad.append(where + ' style attribute')
            if k in URL_ATTRS and v:
                u = re.sub(r'[\x00-\x20]', '', v).lower()
                if u.startswith(('javascript:', 'vbscript:')) or \
                        (u.startswith('data:') and not u.startswith('data:image/')):
                    self.bad.append(where + ' dangerous URL ' + v[:40])

    handle_startendtag = handle_starttag


bad, pages = [], 0
for top in sys.argv[1:]:
    for root, _, files in os.walk(top):
        for f in sorted(files):
            if not f.endswith('.html'):
                continue
            path = os.path.join(root, f)
            p = Page(os.path.relpath(path, top))
            p.feed(open(path, encoding='utf-8', errors='replace').read())
            pages += 1
            if not p.csp:
                p.bad.append(p.name + ': no Content-Security-Policy meta')
            bad += p.bad
for b in bad[:20]:
    print(b)
print('%d pages checked, %d offences' % (pages, len(bad)))
sys.exit(1 if bad or not pages else 0)
