// Parse an iCalendar file with ical.js (a real RFC 5545 parser) and print
// what the end-to-end tests assert on, one JSON object on stdout:
//   {"events": N, "uids": [...], "summaries": [...], "starts": [...], "tz": "..."}
// Exits 1 (with the parser's message) when the file does not parse.
import fs from 'node:fs';
import ICAL from 'ical.js';

const file = process.argv[2];
const text = fs.readFileSync(file, 'utf8');
let comp;
try {
  comp = new ICAL.Component(ICAL.parse(text));
} catch (e) {
  console.error(`${file}: does not parse: ${e.message}`);
  process.exit(1);
}
if (comp.name !== 'vcalendar') {
  console.error(`${file}: top component is ${comp.name}, not vcalendar`);
  process.exit(1);
}
const tzc = comp.getFirstSubcomponent('vtimezone');
if (tzc) ICAL.TimezoneService.register(tzc);
const out = { events: 0, uids: [], summaries: [], starts: [], startsUtc: [], tz: [] };
for (const ve of comp.getAllSubcomponents('vevent')) {
  const ev = new ICAL.Event(ve);
  out.events++;
  out.uids.push(ev.uid);
  out.summaries.push(ev.summary);
  out.starts.push(ev.startDate.toString());
  out.startsUtc.push(ev.startDate.isDate ? ev.startDate.toString()
    : ev.startDate.convertToZone(ICAL.Timezone.utcTimezone).toString());
  out.tz.push(ev.startDate.timezone || ev.startDate.zone?.tzid || '');
  if (!ev.uid || !ev.summary || !ve.getFirstPropertyValue('dtstamp')) {
    console.error(`${file}: event without UID, SUMMARY or DTSTAMP`);
    process.exit(1);
  }
}
// Every physical line ends in CRLF and is at most 75 octets.
const lines = Buffer.from(text, 'utf8').toString('binary').split('\r\n');
if (lines[lines.length - 1] !== '') { console.error(`${file}: not CRLF-terminated`); process.exit(1); }
for (const l of lines) {
  if (l.includes('\n')) { console.error(`${file}: bare LF`); process.exit(1); }
  if (l.length > 75) { console.error(`${file}: line over 75 octets: ${l.length}`); process.exit(1); }
}
console.log(JSON.stringify(out));
