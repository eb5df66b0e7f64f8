// Validate a JSON file against a JSON Schema (draft 2020-12) with ajv.
//   node json-validate.mjs SCHEMA FILE  -> prints "valid" or the errors, exit 0/1
import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';

const [schemaFile, dataFile] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
let data;
try {
  data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
} catch (e) {
  console.error(`${dataFile}: not JSON: ${e.message}`);
  process.exit(1);
}
const ajv = new (Ajv2020.default || Ajv2020)({ allErrors: true, strict: true });
const validate = ajv.compile(schema);
if (!validate(data)) {
  for (const e of validate.errors) console.error(`${dataFile}${e.instancePath}: ${e.message}`);
  process.exit(1);
}
console.log('valid');
