#!/usr/bin/env python3
"""Regenerates fuzz/seeds/{matcher,client,classifier} from the bundled fixtures (run by hand
after adding fixtures; the seeds are committed, so fuzz/run.sh needs no Python)."""
import json, pathlib, urllib.parse

root = pathlib.Path(__file__).resolve().parent.parent
seeds = root / "fuzz" / "seeds"
steps = ["config", "auth", "conversation", "queue", "wrapup", "payload", "transfer", "other"]

def sample(value):
    """A concrete text for a matcher value ({"matches": ...} becomes a plausible string)."""
    if isinstance(value, dict):
        if "equals" in value: return str(value["equals"])
        if "matches" in value: return "Basic YWJjOmRlZg==" if "Basic" in value["matches"] else "Bearer abc.def"
        return "x"
    return value if isinstance(value, str) else json.dumps(value)

def concrete_path(path):
    return "/".join("3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47" if p.startswith("{") else p for p in path.split("/"))

def response_text(resp):
    head = [str(resp.get("status", 200))]
    for k, v in resp.get("headers", {}).items(): head.append(f"{k}: {v}")
    if "json" in resp:
        head.append("Content-Type: application/json")
        body = json.dumps(resp["json"])
    else:
        body = resp.get("body", "")
    if resp.get("fault") in ("connection-reset", "empty-response", "timeout"): return "!"
    return "\n".join(head) + "\n\n" + body

for d in ("matcher", "client", "classifier"):
    (seeds / d).mkdir(parents=True, exist_ok=True)

for f in sorted((root / "fixtures").glob("*.json")):
    doc = json.loads(f.read_text())
    answers = []
    for i, x in enumerate(doc["interactions"]):
        req, resp = x["request"], x["response"]
        path = concrete_path(req.get("path", "/custom/abc/xy"))
        query = urllib.parse.urlencode({k: sample(v) for k, v in req.get("query", {}).items()})
        lines = [f'{req.get("method", "GET")} {path}{"?" + query if query else ""}']
        for k, v in req.get("headers", {}).items(): lines.append(f"{k}: {sample(v)}")
        body = ""
        if "form" in req:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            body = urllib.parse.urlencode({k: sample(v) for k, v in req["form"].items()})
        elif "json" in req:
            lines.append("Content-Type: application/json")
            body = json.dumps(req["json"])
        (seeds / "matcher" / f"{f.stem}-{i}.txt").write_text("\r\n".join(lines) + "\r\n\r\n" + body)
        answers.append(response_text(resp))
        status = resp.get("status", 200)
        if status >= 300 or i == len(doc["interactions"]) - 1:
            body = json.dumps(resp["json"]) if "json" in resp else resp.get("body", "")
            step = steps.index(x["id"]) if x["id"] in steps else (6 if req.get("method") == "POST" else 2)
            (seeds / "classifier" / f"{f.stem}-{i}.bin").write_bytes(bytes([step, status >> 8, status & 255]) + body.encode())
    profile = b"\x03" if doc.get("profile") == "cxone" else b"\x02"
    (seeds / "client" / f"{f.stem}.bin").write_bytes(profile + "\n=====\n".join(answers).encode())
