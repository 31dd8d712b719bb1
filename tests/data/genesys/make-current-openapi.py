#!/usr/bin/env python3
"""Builds current.openapi.json, an OpenAPI 3.0 document, from the two current extracts beside it.

Why: the CLI extract (current-operations.cli-166.0.0.json) holds OpenAPI 3 fragments, not a
document — each operation's request body and one success response ("primaryResponse(as embedded by
CLI)"), without a status code and without the models. `cxone-mock check --spec` and `serve --spec`
read whole documents. What this script adds, and where each part comes from:
  * paths and request bodies: the CLI extract, unchanged;
  * the success status: from the response's description as the generator writes it ("Accepted" ->
    202, "successful operation" / "Operation was successful." -> 200), which is what the 2018
    Swagger document declares for the same operations (replace: 202, GETs and consult: 200);
  * the error statuses: the set every operation of the 2018 document declares (400, 401, 403, 404,
    415, 429, 500, 503, 504), each answering ErrorBody: Genesys generates every operation's errors
    from one template, and the SDK CLI keeps only the primary response;
  * query parameters: the CLI extract records none, so those of the operations the profiles call
    are listed below (QUERY), read from the CLI's Go command for the operation
    (MyPureCloud/platform-client-sdk-cli @ 3d15f0ae8533b3de75843b88a6a194ae066d2c8b,
    build/gc/cmd/routing_queues_wrapupcodes/routing_queues_wrapupcodes.go: listCmd's pageSize,
    pageNumber and name flags, sent as query parameters); every other operation declares none;
  * components/schemas: the model extract (current-definitions.python-sdk-257.1.0.json), with
    "#/definitions/" refs rewritten to "#/components/schemas/".
Run it from anywhere; it rewrites current.openapi.json only when the inputs change what it holds.
"""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
OPS = "current-operations.cli-166.0.0.json"
DEFS = "current-definitions.python-sdk-257.1.0.json"
ERRORS = ["400", "401", "403", "404", "415", "429", "500", "503", "504"]
QUERY = {
    ("get", "/api/v2/routing/queues/{queueId}/wrapupcodes"): [
        {"name": "pageSize", "in": "query", "schema": {"type": "integer", "default": 25}},
        {"name": "pageNumber", "in": "query", "schema": {"type": "integer", "default": 1}},
        {"name": "name", "in": "query", "schema": {"type": "string"}},
    ],
}
SUCCESS = {"Accepted": "202", "successful operation": "200", "Operation was successful.": "200"}


def main():
    ops = json.load(open(os.path.join(HERE, OPS)))
    defs = json.load(open(os.path.join(HERE, DEFS)))
    schemas = json.loads(re.sub(r'"#/definitions/', '"#/components/schemas/', json.dumps(defs["definitions"])))
    paths = {}
    for path, methods in ops["paths"].items():
        for method, op in methods.items():
            primary = op["primaryResponse(as embedded by CLI)"]
            status = SUCCESS.get(primary.get("description"))
            if status is None:  # HEAD /api/v2/tokens/me: the CLI kept an error answer; left out
                continue
            out = {"summary": op["summary"], "x-required-permissions": op["x-required-permissions"],
                   "x-cli-source": op["cliSource"], "responses": {}}
            params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                      for n in re.findall(r"{([^}]+)}", path)] + QUERY.get((method, path), [])
            if params:
                out["parameters"] = params
            if op.get("requestBody"):
                out["requestBody"] = op["requestBody"]
            success = {"description": primary["description"]}
            if primary.get("content"):
                success["content"] = primary["content"]
            out["responses"][status] = success
            for e in ERRORS:
                out["responses"].setdefault(e, {"description": "error (the 2018 document's set)", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}})
            paths.setdefault(path, {})[method] = out
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Genesys Cloud Platform API (derived extract)", "version": "cli-166.0.0",
                 "x-derived": "built by make-current-openapi.py from " + OPS + " (" + ops["source"]["repo"] + " @ " +
                              ops["source"]["commit"] + ") and " + DEFS + " (" + defs["source"]["repo"] + " @ " +
                              defs["source"]["commit"] + "); success statuses read from the response descriptions, "
                              "error statuses as the 2018 document declares them for every operation"},
        "servers": [{"url": "https://api.mypurecloud.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    text = json.dumps(doc, indent=1, sort_keys=False) + "\n"
    target = os.path.join(HERE, "current.openapi.json")
    if not os.path.exists(target) or open(target).read() != text:
        open(target, "w").write(text)


if __name__ == "__main__":
    main()
