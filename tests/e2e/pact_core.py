"""@pact-foundation/pact-core from npm, for the tests that run Pact's own mock server and verifier:
installed into PACT_CORE_CACHE (default /tmp/harness-pact-core) the first time.

ctest runs two of those tests at once: the install holds an exclusive lock on the cache, and the
cache counts as installed only once npm has finished (a marker written after it), so a second test
never loads a half-installed package (its native library arrives last; the likely cause of four
verifications failing in CI while the other test's npm was still running)."""
import fcntl, os, subprocess

MARKER = ".installed-pact-core-19"


def node_modules():
    """The node_modules folder holding pact-core, or None (said on stdout) when npm cannot install it."""
    cache = os.environ.get("PACT_CORE_CACHE", "/tmp/harness-pact-core")
    modules = os.path.join(cache, "node_modules")
    marker = os.path.join(cache, MARKER)
    os.makedirs(cache, exist_ok=True)
    with open(os.path.join(cache, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(marker):
            r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund",
                                "@pact-foundation/pact-core@19"],
                               cwd=cache, capture_output=True, text=True, timeout=600)
            if r.returncode != 0:
                print("pact-core could not be installed from npm (skipped):", r.stderr.strip()[:300])
                return None
            with open(marker, "w") as f:
                f.write("npm install @pact-foundation/pact-core@19 finished\n")
    return modules
