#!/usr/bin/env python3
"""Bundled scenarios exported as Pact files and served by Pact's own mock server (the Rust one in
@pact-foundation/pact-core, through tests/peers/pact-core-serve.js): a diagnose run with each
scenario's inputs must end with the scenario's expected classification, and Pact's mock server
must have seen no request it did not expect.
    pact_core_export.py HANDOVER_DIAG SOURCE_DIR
pact-core is installed from npm into PACT_CORE_CACHE (default /tmp/harness-pact-core) the first
time; when npm cannot install it the test says so and exits 77 (ctest: skipped, shown as such)."""
import json, os, signal, subprocess, sys, tempfile, time

import pact_core

SCENARIOS = ["transfer-202-happy-path.json", "queue-inactive.json", "transfer-409-already-wrapped-up.json",
             "conversation-404-not-found.json", "wrapup-not-in-queue-list.json"]

def main():
    diag, src = sys.argv[1], sys.argv[2]
    modules = pact_core.node_modules()
    if modules is None:
        return 77
    failed = 0
    for name in SCENARIOS:
        scenario = os.path.join(src, "fixtures", name)
        fx = json.load(open(scenario))
        with tempfile.TemporaryDirectory() as work:
            pact = os.path.join(work, "exported.pact.json")
            subprocess.run([diag, "export", "pact", scenario, "--out", pact], check=True, capture_output=True)
            env = dict(os.environ, NODE_PATH=modules)
            server = subprocess.Popen(["node", os.path.join(src, "tests", "peers", "pact-core-serve.js"), pact],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            line = server.stdout.readline()
            if not line.startswith("listening on "):
                print(name, ": Pact's mock server did not start:", server.stderr.read()[:500])
                return 1
            url = line.split()[-1]
            inputs = fx["inputs"]
            args = [diag, "diagnose", "--env-file", "/dev/null", "--base-url", url, "--format", "json",
                    "--client-id", inputs.get("clientId", "c"), "--client-secret", "s",
                    "--conversation", inputs.get("conversationId", "")]
            if "queueId" in inputs: args += ["--queue", inputs["queueId"]]
            if "wrapupCodeId" in inputs: args += ["--wrapup", inputs["wrapupCodeId"]]
            if "payload" in inputs:
                payload = os.path.join(work, "payload.json")
                json.dump(inputs["payload"], open(payload, "w"))
                args += ["--payload", payload]
            if inputs.get("execute"): args.append("--execute")
            run = subprocess.run(args, capture_output=True, text=True, timeout=60)
            server.send_signal(signal.SIGTERM)
            _, mismatches = server.communicate(timeout=30)
            got = json.loads(run.stdout)["classification"] if run.stdout.strip() else "(no report)"
            want = fx["expect"]["classification"]
            ok = got == want and server.returncode == 0
            failed += 0 if ok else 1
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {got} (expected {want})" +
                  ("" if server.returncode == 0 else f"; Pact's mock server saw unexpected requests: {mismatches[:800]}"))
    print(f"{len(SCENARIOS) - failed} of {len(SCENARIOS)} scenarios reproduced by Pact's own mock server")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
