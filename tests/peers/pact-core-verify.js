#!/usr/bin/env node
// Pact's own provider verifier (the Rust one inside libpact_ffi, from the npm package
// @pact-foundation/pact-core) run against a provider, with its provider-state change URL.
//   NODE_PATH=DIR/node_modules node pact-core-verify.js PROVIDER_URL PACT_FILE STATES_SETUP_URL
// Prints Pact's verification output; exits 0 when every interaction verified, 1 otherwise.
'use strict';
const core = require('@pact-foundation/pact-core');

const [providerBaseUrl, pact, providerStatesSetupUrl] = process.argv.slice(2);
const options = { providerBaseUrl, pactUrls: [pact], logLevel: 'error' };
if (providerStatesSetupUrl) options.providerStatesSetupUrl = providerStatesSetupUrl;
core
  .verifyPacts(options)
  .then(
    () => process.exit(0),
    (e) => {
      console.error(typeof e === 'string' ? e : JSON.stringify(e && e.errors ? e.errors : e));
      process.exit(1);
    },
  );
