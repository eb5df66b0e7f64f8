// Parse an RFC 4180 CSV file (quoted fields, doubled quotes, CRLF) and print
// {"bom": bool, "header": [...], "rows": N, "widths": [distinct field counts],
//  "records": [[...], ...]} for the tests to assert on.
import fs from 'node:fs';

const buf = fs.readFileSync(process.argv[2]);
const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
const text = buf.toString('utf8').replace(/^\uFEFF/, '');
const records = [];
let field = '', rec = [], i = 0, quoted = false;
while (i < text.length) {
  const c = text[i];
  if (quoted) {
    if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
    if (c === '"') { quoted = false; i++; continue; }
    field += c; i++; continue;
  }
  if (c === '"' && field === '') { quoted = true; i++; continue; }
  if (c === ',') { rec.push(field); field = ''; i++; continue; }
  if (c === '\r' && text[i + 1] === '\n') { rec.push(field); records.push(rec); rec = []; field = ''; i += 2; continue; }
  if (c === '\n' || c === '\r' || c === '"') { console.error(`bare ${JSON.stringify(c)} at ${i}`); process.exit(1); }
  field += c; i++;
}
if (field !== '' || rec.length) { console.error('last record not ended by CRLF'); process.exit(1); }
const [header, ...rows] = records;
const widths = [...new Set(records.map((r) => r.length))];
console.log(JSON.stringify({ bom, header, rows: rows.length, widths, records: rows }));
