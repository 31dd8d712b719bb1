// A whole validate process with ajv 8 (allErrors + formats) for the side-by-side process
// comparison: reads a JSON Lines file, validates every line against the project's own contract
// files, prints a JSON report (one result per line, its errors) and exits 1 if any is invalid.
//   node ajv-process.js CONTRACTS_DIR FILE.jsonl
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");
const [dir, file] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, "context-data.schema.json"), "utf8")));
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(dir, "transfer.schema.json"), "utf8")));
const lines = fs.readFileSync(file, "utf8").split("\n");
const results = [];
let invalid = 0;
for (let i = 0; i < lines.length; i++) {
  if (lines[i].trim() === "") continue;
  let ok, errors = [];
  try {
    ok = validate(JSON.parse(lines[i]));
    if (!ok) errors = validate.errors.map((e) => ({ code: e.keyword, pointer: e.instancePath, message: e.message }));
  } catch (e) {
    ok = false;
    errors = [{ code: "INVALID_JSON", pointer: "", message: e.message }];
  }
  if (!ok) invalid++;
  results.push({ source: `${file}:${i + 1}`, line: i + 1, valid: ok, violations: errors });
}
process.stdout.write(JSON.stringify({ payloads: results.length, valid: results.length - invalid, invalid, results }, null, 2) + "\n");
process.exitCode = invalid ? 1 : 0;
