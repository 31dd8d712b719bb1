#!/usr/bin/env python3
"""Pact's own provider verifier (@pact-foundation/pact-core, through tests/peers/pact-core-verify.js)
run against cxone-mock:
1. a pact with provider states served by `cxone-mock serve --pact`, the verifier given the mock's
   /__admin/provider-states as its state-change URL: every interaction verifies; without the URL
   the interaction for the second state gets the first state's answer and the verifier fails;
2. bundled scenarios exported (`handover-diag export pact`) and served by `cxone-mock serve --pact`:
   Pact's verifier finds every answer the pact describes (status, headers, body with its rules).
   (The scenarios themselves, served with --fixtures, are stricter than their export: the token
   request's form fields, which Pact v3 cannot state, are required by the scenario.)
    pact_core_verify.py CXONE_MOCK HANDOVER_DIAG SOURCE_DIR
Exits 77 (ctest: skipped, shown as such) when npm cannot install pact-core."""
import os, subprocess, sys, tempfile

import pact_core

SCENARIOS = ["transfer-202-happy-path.json", "queue-inactive.json", "conversation-404-not-found.json"]


def serve(mock, args):
    p = subprocess.Popen([mock, "serve", "--port", "0"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    line = p.stdout.readline()
    if not line.startswith("listening on "):
        raise SystemExit("cxone-mock did not start: " + p.stderr.read()[:500])
    return p, line.split()[-1]


def verify(src, modules, url, pact, setup_url):
    env = dict(os.environ, NODE_PATH=modules)
    r = subprocess.run(["node", os.path.join(src, "tests", "peers", "pact-core-verify.js"), url, pact, setup_url],
                       capture_output=True, text=True, env=env, timeout=300)
    return r.returncode, r.stdout + r.stderr


def check(label, ok, output):
    print(f"{'ok  ' if ok else 'FAIL'} {label}")
    if not ok:
        print(output[-3000:])
    return 0 if ok else 1


def main():
    mock, diag, src = sys.argv[1], sys.argv[2], sys.argv[3]
    modules = pact_core.node_modules()
    if modules is None:
        return 77
    failed = 0
    states_pact = os.path.join(src, "tests", "data", "pact", "queue-states.v3.pact.json")
    server, url = serve(mock, ["--pact", states_pact])
    try:
        code, out = verify(src, modules, url, states_pact, url + "/__admin/provider-states")
        failed += check("queue-states.v3.pact.json: verified with the mock's state-change URL", code == 0, out)
        code, out = verify(src, modules, url, states_pact, "")
        failed += check("queue-states.v3.pact.json: without it, the deleted queue's interaction fails",
                        code != 0 and "a queue that was deleted" in out, out)
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name in SCENARIOS:
        scenario = os.path.join(src, "fixtures", name)
        with tempfile.TemporaryDirectory() as work:
            pact = os.path.join(work, "exported.pact.json")
            subprocess.run([diag, "export", "pact", scenario, "--out", pact], check=True, capture_output=True)
            server, url = serve(mock, ["--pact", pact])
            try:
                code, out = verify(src, modules, url, pact, url + "/__admin/provider-states")
                failed += check(f"{name}: its exported pact, served by the mock, verifies", code == 0, out)
            finally:
                server.terminate()
                server.wait(timeout=30)
    total = 2 + len(SCENARIOS)
    print(f"{total - failed} of {total} verifications by Pact's own verifier as expected")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
