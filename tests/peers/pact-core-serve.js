#!/usr/bin/env node
// Serves a Pact v3 file with Pact's own mock server (the Rust one inside libpact_ffi, from the
// npm package @pact-foundation/pact-core), for the export test: every interaction given to the
// consumer-pact builder as the file states it (states, method, path, query, headers, bodies),
// rules as Pact's integration-JSON matchers (a path or query regex, a header regex).
//   NODE_PATH=DIR/node_modules node pact-core-serve.js PACT_FILE
// Prints "listening on http://127.0.0.1:PORT"; on SIGTERM prints Pact's mismatch report to
// stderr and exits 0 when every request matched, 1 otherwise.
'use strict';
const fs = require('fs');
const core = require('@pact-foundation/pact-core');

const doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const pact = core.makeConsumerPact(doc.consumer.name, doc.provider.name, 3, process.env.PACT_LOG_LEVEL || 'error');
const regexOf = (rule) => rule && rule.matchers && rule.matchers[0] && rule.matchers[0].match === 'regex'
  ? rule.matchers[0].regex : null;
const matcher = (regex, value) => JSON.stringify({ 'pact:matcher:type': 'regex', regex, value });

for (const it of doc.interactions) {
  const i = pact.newInteraction(it.description);
  i.uponReceiving(it.description);
  for (const s of it.providerStates || []) i.given(s.name);
  const req = it.request;
  const rules = req.matchingRules || {};
  const pathRegex = regexOf(rules.path);
  i.withRequest(req.method, pathRegex ? matcher(pathRegex, req.path) : req.path);
  for (const [name, values] of Object.entries(req.query || {})) {
    const re = regexOf((rules.query || {})[name]);
    values.forEach((v, n) => i.withQuery(name, n, re ? matcher(re, v) : v));
  }
  let requestType = 'application/json';
  for (const [name, value] of Object.entries(req.headers || {})) {
    if (name.toLowerCase() === 'content-type') requestType = value;
    const re = regexOf((rules.header || {})[name]);
    i.withRequestHeader(name, 0, re ? matcher(re, value) : value);
  }
  if (req.body !== undefined)
    i.withRequestBody(typeof req.body === 'string' ? req.body : JSON.stringify(req.body), requestType);
  const res = it.response;
  i.withStatus(res.status);
  let responseType = 'application/json';
  for (const [name, value] of Object.entries(res.headers || {})) {
    if (name.toLowerCase() === 'content-type') responseType = value;
    else i.withResponseHeader(name, 0, value);
  }
  if (res.body !== undefined)
    i.withResponseBody(typeof res.body === 'string' ? res.body : JSON.stringify(res.body), responseType);
}

const port = pact.createMockServer('127.0.0.1', 0, false);
console.log(`listening on http://127.0.0.1:${port}`);
const stop = () => {
  const mismatches = pact.mockServerMismatches(port);
  const unexpected = mismatches.filter((m) => m.type !== 'missing-request');
  console.error(JSON.stringify(mismatches, null, 2));
  pact.cleanupMockServer(port);
  process.exit(unexpected.length === 0 ? 0 : 1);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {}, 1 << 30);
