#!/usr/bin/env python3
"""Writes one scenario file with N interactions (GET /r/<i> with a header matcher, every fifth
a path template, every seventh a regex), for load, check and matching curves.
  bench/make-big-fixture.py N OUT.json"""
import json
import sys

n, out = int(sys.argv[1]), sys.argv[2]
interactions = []
for i in range(n):
    request = {"method": "GET", "path": f"/r/{i}", "headers": {"X-Case": str(i)}}
    if i % 5 == 1:
        request = {"method": "GET", "path": f"/t{i}/{{id}}/items"}
    elif i % 7 == 2:
        request = {"method": "GET", "pathPattern": f"^/p{i}/[a-z]+$"}
    interactions.append({"id": f"i{i}", "request": request,
                         "response": {"status": 200, "json": {"n": i, "name": f"item {i}"}}})
with open(out, "w") as f:
    json.dump({"fixtureVersion": 1, "name": f"big-{n}", "interactions": interactions}, f, indent=1)
