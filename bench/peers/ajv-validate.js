// ajv 8 (compiled, allErrors) over the same corpus: best-of-N payloads/s and MB/s, verdicts file.
//   node ajv-validate.js CONTRACTS_DIR CORPUS.jsonl VERDICTS_OUT [PASSES]
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");
const [dir, corpus, verdictsOut, passesArg] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, "context-data.schema.json"), "utf8")));
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(dir, "transfer.schema.json"), "utf8")));
const lines = fs.readFileSync(corpus, "utf8").split("\n").filter((l) => l.length > 0);
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
const passes = Number(passesArg || 3);
let best = Infinity, errors = 0;
const verdicts = new Array(lines.length);
for (let p = 0; p < passes; p++) {
  const t0 = process.hrtime.bigint();
  errors = 0;
  for (let i = 0; i < lines.length; i++) {
    let ok;
    try { ok = validate(JSON.parse(lines[i])); } catch (e) { ok = false; }
    if (!ok && validate.errors) errors += validate.errors.length;
    verdicts[i] = ok ? 1 : 0;
  }
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
}
fs.writeFileSync(verdictsOut, verdicts.join("\n") + "\n");
console.log(`ajv: ${lines.length} payloads, best of ${passes}: ${best.toFixed(3)} s, ${(lines.length / best).toFixed(0)} payloads/s, ` +
            `${(bytes / 1e6 / best).toFixed(1)} MB/s, ${errors} errors`);
