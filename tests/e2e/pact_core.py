"""@pact-foundation/pact-core from npm, for the tests that run Pact's own mock server and verifier:
installed into PACT_CORE_CACHE (default /tmp/harness-pact-core) the first time."""
import os, subprocess


def node_modules():
    """The node_modules folder holding pact-core, or None (said on stdout) when npm cannot install it."""
    cache = os.environ.get("PACT_CORE_CACHE", "/tmp/harness-pact-core")
    modules = os.path.join(cache, "node_modules")
    if not os.path.isdir(os.path.join(modules, "@pact-foundation", "pact-core")):
        os.makedirs(cache, exist_ok=True)
        r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "@pact-foundation/pact-core@19"],
                           cwd=cache, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            print("pact-core could not be installed from npm (skipped):", r.stderr.strip()[:300])
            return None
    return modules
