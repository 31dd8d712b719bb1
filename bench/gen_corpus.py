#!/usr/bin/env python3
"""Deterministic corpus of handover payloads for the validate benchmark.

10,000 payloads (default) as JSON Lines: 60 % valid, 40 % with the defects Cognigy flows
really produce (queue name for ID, unrendered templates, stringified context, case drift,
empty/missing intent, bad enums, nested objects), sizes 0.5-3 KB with about 1 % near 50 KB.
Timestamps are always valid RFC 3339, so validators without a date-time checker still agree.
    gen_corpus.py OUT.jsonl [COUNT] [SEED] [--keys MIN-MAX]
--keys: each payload gets a number of extra context keys drawn from MIN..MAX instead of being
grown to a drawn size (the whole-process comparison's corpus: 0-40 keys).
"""
import json, random, sys, uuid

def uid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))

WORDS = ("customer asked about a duplicate charge on the invoice and wants a refund before the due date "
         "verified identity with date of birth and postcode the account shows two payments of the same amount "
         "escalating because the bot cannot issue refunds above the limit caller sounded frustrated").split()

def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))

def valid(rng, size, keys=None):
    p = {"transferTo": {"type": rng.choice(["queue", "queue", "user"]), "id": uid(rng)},
         "transferType": rng.choice(["blind", "consult"]),
         "wrapupCode": {"id": uid(rng)},
         "contextData": {"intent": rng.choice(["billing_dispute", "refund", "cancel_contract", "tech_support"]),
                         "customerName": rng.choice(["Jane Customer", "Ana Sousa", "Li Wei", "Omar Haddad"]),
                         "botSummary": text(rng, 10),
                         "transferReason": rng.choice(["customer_requested_agent", "low_confidence", "policy"]),
                         "language": rng.choice(["en-US", "de-DE", "fr-FR", "pt-BR"]),
                         "confidence": round(rng.random(), 3),
                         "timestamp": "2026-11-%02dT%02d:%02d:%02dZ" % (rng.randint(1, 28), rng.randint(0, 23),
                                                                       rng.randint(0, 59), rng.randint(0, 59)),
                         "botId": "cognigy-bot-%d" % rng.randint(1, 9), "source": "cognigy"}}
    ctx = p["contextData"]
    k = 0
    if keys is not None:
        for k in range(1, keys + 1):
            ctx["custom%02d" % k] = rng.choice([text(rng, 6), rng.randint(0, 10**6), rng.random() < 0.5])
        return p
    while len(json.dumps(p)) < size:
        k += 1
        ctx["custom%02d" % k] = rng.choice([text(rng, 6), rng.randint(0, 10**6), rng.random() < 0.5])
        if len(ctx["botSummary"]) < 3900 and size > 10000:
            ctx["botSummary"] = (ctx["botSummary"] + " " + text(rng, 40))[:3990]
    return p

DEFECTS = [
    ("queue-name", lambda p, r: p["transferTo"].update(id=r.choice(["Billing Support", "Tier 2 Tech", "billing_queue"]))),
    ("template", lambda p, r: p["contextData"].update(customerName="{{context.customer.name}}")),
    ("stringified", lambda p, r: p.update(contextData=json.dumps(p["contextData"]))),
    ("case-drift", lambda p, r: p["contextData"].update(customer_name=p["contextData"].pop("customerName"))),
    ("empty-intent", lambda p, r: p["contextData"].update(intent="")),
    ("missing-intent", lambda p, r: p["contextData"].pop("intent")),
    ("bad-enum", lambda p, r: p.update(transferType="attended")),
    ("nested-object", lambda p, r: p["contextData"].update(customer={"name": "Jane", "tier": "gold"})),
    ("confidence-range", lambda p, r: p["contextData"].update(confidence=87)),
    ("missing-wrapup", lambda p, r: p.pop("wrapupCode")),
]

def main():
    args = sys.argv[1:]
    key_range = None
    if "--keys" in args:
        i = args.index("--keys")
        key_range = tuple(int(x) for x in args[i + 1].split("-"))
        del args[i:i + 2]
    out = args[0]
    count = int(args[1]) if len(args) > 1 else 10000
    rng = random.Random(int(args[2]) if len(args) > 2 else 42)
    with open(out, "w") as f:
        for i in range(count):
            size = 50000 if rng.random() < 0.01 else rng.randint(500, 3000)
            p = valid(rng, size, rng.randint(*key_range) if key_range else None)
            if rng.random() < 0.4:
                name, mutate = rng.choice(DEFECTS)
                mutate(p, rng)
            f.write(json.dumps(p, separators=(",", ":")) + "\n")

if __name__ == "__main__":
    main()
