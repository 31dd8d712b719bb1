#!/usr/bin/env python3
"""Python jsonschema (Draft7Validator, every error) over the corpus: payloads/s, MB/s, verdicts.
    jsonschema-validate.py CONTRACTS_DIR CORPUS.jsonl VERDICTS_OUT [PASSES]"""
import json, os, sys, time
import jsonschema

d, corpus, out = sys.argv[1:4]
passes = int(sys.argv[4]) if len(sys.argv) > 4 else 1
transfer = json.load(open(os.path.join(d, "transfer.schema.json")))
context = json.load(open(os.path.join(d, "context-data.schema.json")))
try:  # jsonschema >= 4.18: the referencing registry
    from referencing import Registry, Resource
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in (transfer, context)])
    validator = jsonschema.Draft7Validator(transfer, registry=registry, format_checker=jsonschema.FormatChecker())
except ImportError:  # older (Debian 12 ships 4.10): RefResolver with a store
    resolver = jsonschema.RefResolver.from_schema(transfer, store={context["$id"]: context, transfer["$id"]: transfer})
    validator = jsonschema.Draft7Validator(transfer, resolver=resolver, format_checker=jsonschema.FormatChecker())
lines = [l for l in open(corpus, encoding="utf-8").read().split("\n") if l]
size = sum(len(l.encode()) for l in lines)
best, verdicts, errors = float("inf"), [], 0
for _ in range(passes):
    t0 = time.perf_counter()
    verdicts, errors = [], 0
    for l in lines:
        try:
            errs = list(validator.iter_errors(json.loads(l)))
        except ValueError:
            errs = [None]
        errors += len(errs)
        verdicts.append(0 if errs else 1)
    best = min(best, time.perf_counter() - t0)
open(out, "w").write("\n".join(map(str, verdicts)) + "\n")
print(f"python-jsonschema {jsonschema.__version__}: {len(lines)} payloads, best of {passes}: {best:.3f} s, "
      f"{len(lines) / best:.0f} payloads/s, {size / 1e6 / best:.1f} MB/s, {errors} errors")
