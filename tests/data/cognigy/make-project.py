#!/usr/bin/env python3
"""Writes the test Cognigy project twice: as a Cognigy-CLI clone (clone/) and as a package export
(billing-bot.package.zip). No public export holds a CXone handover node, so the project is built
from the published shapes (see README.md beside this script for each shape's source). Run it from
anywhere; the outputs are committed, and the tests read them as they are."""
import copy
import json
import os
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
LOCALES = [{"_id": "5f1c0a000000000000000e01", "name": "en-US", "primary": True},
           {"_id": "5f1c0a000000000000000d01", "name": "de-DE", "primary": False}]


def node(_id, type_, label, config, extension="@cognigy/basic-nodes", disabled=False, entry=False):
    return {"_id": _id, "referenceId": "ref-" + _id, "type": type_, "label": label, "comment": "",
            "isDisabled": disabled, "isEntryPoint": entry, "extension": extension,
            "localeReference": None, "config": config}


def billing(locale):
    de = locale == "de-DE"
    return [
        node("b0000001", "start", "Start", {}, entry=True),
        node("b0000002", "addToContext", "Remember intent",
             {"key": "handover.intent", "value": "{{input.data.intent}}", "mode": "simple"}),
        node("b0000003", "code", "Set skill and customer",
             {"code": "context.skillId = '6368531';\ncontext.customer = { name: input.data.customerName };\n"
                      "context['contactId'] = input.data.contactId;"}),
        node("b0000004", "handoverToCXone", "Eskalieren" if de else "Escalate to billing",
             {"action": "escalate" if de else "Escalate", "businessNumber": "4597208",
              "contactId": "{{context.contactId}}", "spawnedContactId": "{{input.data.spawnedContactId}}",
              "connection": "6f0e1d2c-0000-4000-8000-00000000c0c0",
              "optionalParamsObject": [{"intent": "{{context.handover.intent}}",
                                        "customerName": "{{context.customer.name}}",
                                        "skill": "{{context.skillId}}", "tier": "{{context.loyalty.tier}}"}],
              "setEscalationFlag": False},
             extension="cxone"),
    ]


def signals(locale):
    return [
        node("c0000001", "start", "Start", {}, entry=True),
        node("c0000002", "sendCxoneSignal", "Signal with context",
             {"environment": "https://cxone.niceincontact.com", "contactId": "704893312",
              "connection": "6f0e1d2c-0000-4000-8000-00000000c0c0",
              "signalParams": ["Escalate", "6368531", "8812", "{{context.handover.intent", "a", "b", "c", "d", "e",
                               "f"]},
             extension="cxone"),
        node("c0000003", "handoverToCXone", "Old exit",
             {"action": "End", "businessNumber": "4597208", "contactId": "{{context.contactId}}",
              "spawnedContactId": "{{context.contactId}}", "optionalParamsObject": {"reason": "closed"}},
             extension="cxone", disabled=True),
        node("c0000004", "httpRequest", "Signal via HTTP",
             {"method": "POST",
              "url": "https://api-na1.niceincontact.com/inContactAPI/services/v30.0/interactions/"
                     "{{context.contactId}}/signal?p1=Escalate",
              "payloadType": "json",
              "payload": {"p2": "Billing Support", "p3": "8812", "p4": "{{JSON.stringify(context.handover)}}"},
              "headers": {"Authorization": "Bearer {{context.cxoneToken}}"}}),
        node("c0000005", "handover", "Handover to Agent", {"handoverProvider": "eightByEight", "text": "One moment"}),
        node("c0000006", "httpRequest", "Weather", {"method": "GET", "url": "https://weather.example.com/today"}),
    ]


def genesys(locale):
    return [
        node("d0000001", "start", "Start", {}, entry=True),
        node("d0000002", "httpRequest", "Genesys replace/queue",
             {"method": "POST",
              "url": "https://api.mypurecloud.com/api/v2/conversations/{{context.conversationId}}/participants/"
                     "{{context.participantId}}/replace/queue",
              "payloadType": "json", "payload": {"queueId": "{{context.queueId}}"}}),
    ]


FLOWS = [("Billing", "5f1c0b000000000000000001", billing), ("Signals", "5f1c0b000000000000000002", signals),
         ("Genesys", "5f1c0b000000000000000003", genesys)]


def charts():
    for name, flow_id, make in FLOWS:
        for loc in LOCALES:
            nodes = make(loc["name"])
            for n in nodes:
                n["localeReference"] = loc["_id"]
            relations = [{"_id": "rel-" + n["_id"], "node": n["_id"], "children": [],
                          "next": nodes[i + 1]["_id"] if i + 1 < len(nodes) else None} for i, n in enumerate(nodes)]
            yield name, flow_id, loc, {"nodes": nodes, "relations": relations}


def write_clone():
    root = os.path.join(HERE, "clone")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "flows"))
    json.dump(LOCALES, open(os.path.join(root, "flows", "locales.json"), "w"), indent=4)
    for name, flow_id, loc, chart in charts():
        d = os.path.join(root, "flows", name, loc["name"])
        os.makedirs(d, exist_ok=True)
        json.dump({"_id": flow_id, "referenceId": "ref-" + flow_id, "name": name},
                  open(os.path.join(root, "flows", name, "config.json"), "w"), indent=4)
        json.dump(chart, open(os.path.join(d, "chart.json"), "w"), indent=4)
        json.dump([], open(os.path.join(d, "intents.json"), "w"), indent=4)


def write_package():
    path = os.path.join(HERE, "billing-bot.package.zip")
    nodes = {}
    flow_nodes = {}
    for name, flow_id, loc, chart in charts():
        for n in chart["nodes"]:
            data = nodes.setdefault(n["_id"], {k: v for k, v in n.items() if k not in ("config", "localeReference")})
            config = copy.deepcopy(n["config"])
            if "optionalParamsObject" in config and n["_id"] == "b0000004":
                # exports keep some JSON fields as JSON text (as a Say node's config.say)
                config["optionalParamsObject"] = json.dumps(config["optionalParamsObject"])
            data.setdefault("localizedData", []).append({"localeReference": loc["_id"], "config": config})
        flow_nodes[flow_id] = (name, [{"_id": n["_id"], "type": n["type"], "label": n["label"]} for n in chart["nodes"]],
                               chart["relations"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        def put(entry, doc):
            info = zipfile.ZipInfo(entry, date_time=(2026, 11, 20, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, json.dumps(doc, indent=2))
        put("index.json", {"packageVersion": 1, "locales": LOCALES,
                           "resources": [{"type": "flow", "_id": fid, "name": n} for n, fid, _ in FLOWS]})
        for flow_id, (name, ns, relations) in flow_nodes.items():
            put("flow/" + flow_id + ".json", {"_id": flow_id, "name": name})
            put("chart/" + flow_id + ".json", {"nodes": ns, "relations": relations})
        for _id, data in nodes.items():
            put("nodeData/" + _id + ".json", data)


if __name__ == "__main__":
    write_clone()
    write_package()
