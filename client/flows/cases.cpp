// Rendering handover nodes for cases and checking what they would send (see cases.hpp).
#include "client/flows/cases.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "client/profile.hpp"
#include "contracts/contract.hpp"
#include "util/file.hpp"
#include "util/http.hpp"
#include "util/strings.hpp"

namespace client::flows {

namespace {

// The contract of a profile, loaded once per run.
const std::vector<contracts::Contract>* contract_of(const std::string& profile, std::string& name) {
  static std::map<std::string, std::shared_ptr<std::vector<contracts::Contract>>> cache;
  auto contract = contracts::profile_contract_name(profile);
  if (!contract) return nullptr;
  name = *contract;
  auto& slot = cache[profile];
  if (!slot) {
    auto loaded = contracts::load_contract(*contract);
    if (!loaded) return nullptr;
    slot = std::make_shared<std::vector<contracts::Contract>>();
    slot->push_back(std::move(*loaded));
  }
  return slot.get();
}

// A credential a case's data filled in never reaches a report: the scheme stays, the rest is masked
// ("Bearer ***"); an empty one stays visible (the missing token is the finding).
std::string mask_credential(const std::string& header, std::string value) {
  std::string h = util::to_lower(header);
  if (h != "authorization" && h != "proxy-authorization" && h != "cookie" && h.find("api-key") == std::string::npos &&
      h.find("token") == std::string::npos)
    return value;
  auto space = value.find(' ');
  std::string rest = space == std::string::npos ? value : value.substr(space + 1);
  if (rest.empty()) return value;
  return space == std::string::npos ? "***" : value.substr(0, space + 1).append("***");
}

std::string param_text(const util::Json& v) { return v.is_string() ? v.get<std::string>() : util::dump_line(v); }

std::string text_field(const util::Json& config, const char* key, const CognigyObjects& o, int& not_evaluated) {
  if (!config.contains(key)) return "";
  const util::Json& v = config[key];
  return v.is_string() ? render_text(v.get<std::string>(), o, &not_evaluated) : param_text(v);
}

// The request a node would send, and the payload its profile's contract checks.
void build(const HandoverNode& h, const CognigyObjects& o, CaseResult& r) {
  const util::Json& config = h.node->config;
  util::Json query = util::Json::object();
  if (h.kind == HandoverKind::cxone_exit) {
    std::string action = text_field(config, "action", o, r.not_evaluated);
    std::string contact = text_field(config, "spawnedContactId", o, r.not_evaluated);
    if (contact.empty()) contact = text_field(config, "contactId", o, r.not_evaluated);
    util::Json body = util::Json::object();
    util::Json params = json_field(config, "optionalParamsObject");
    if (params.is_array() && !params.empty())
      body["p2"] = util::dump_line(render_json(params, o, &r.not_evaluated).value_or(util::Json::array()));
    query["p1"] = action;
    std::string url = "…/interactions/";
    url.append(contact).append("/signal?p1=").append(action);
    r.request = {{"method", "POST"}, {"url", url}, {"body", body}};
    r.payload = body;
    r.payload["p1"] = action;
  } else if (h.kind == HandoverKind::cxone_signal) {
    std::string contact = text_field(config, "contactId", o, r.not_evaluated);
    util::Json params =
        render_json(json_field(config, "signalParams"), o, &r.not_evaluated).value_or(util::Json::array());
    r.payload = util::Json::object();
    if (params.is_array())
      for (std::size_t i = 0; i < params.size(); ++i)
        r.payload[std::string("p").append(std::to_string(i + 1))] = param_text(params[i]);
    std::string url = "…/interactions/";
    url.append(contact).append("/signal");
    r.request = {{"method", "POST"}, {"url", url}, {"query", r.payload}};
  } else {
    std::string url = text_field(config, "url", o, r.not_evaluated);
    util::Json body = render_json(json_field(config, "payload"), o, &r.not_evaluated).value_or(nullptr);
    auto target =
        url.substr(std::min(url.size(), url.find('/', url.find("://") == std::string::npos ? 0 : url.find("://") + 3)));
    auto [path, q] = util::split_target(target);
    for (const auto& [k, v] : q) query[k] = v;
    r.request = {{"method", text_field(config, "method", o, r.not_evaluated)}, {"url", url}, {"body", body}};
    util::Json headers = json_field(config, "headers");
    if (headers.is_object()) {  // text fields: an undefined expression renders as ""
      for (auto& [k, v] : headers.items())
        if (v.is_string()) v = mask_credential(k, render_text(v.get<std::string>(), o, &r.not_evaluated));
      r.request["headers"] = headers;
    }
    r.payload = body.is_object() ? body : util::Json::object();
    for (const auto& [k, v] : query.items()) r.payload[k] = v;  // p1 travels in the query
  }
  if (!query.empty()) r.request["query"] = query;
}

}  // namespace

util::Result<std::vector<FlowCase>> load_cases(const std::string& file) {
  TRY_ASSIGN(auto text, util::read_file(file, 16u << 20));
  TRY_ASSIGN(auto doc, util::parse_json(text, file));
  if (!doc.is_array())
    return util::make_error(util::where(file, text, "") +
                            ": the cases file is a JSON array of {name, node, input, context, profile, expect}");
  std::vector<FlowCase> out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    std::string at = "/" + std::to_string(i);
    const auto& c = doc[i];
    if (!c.is_object() || !c.contains("name") || !c["name"].is_string())
      return util::make_error(util::where(file, text, at) + ": a case needs a \"name\"");
    FlowCase fc;
    fc.name = c["name"].get<std::string>();
    fc.where = util::where(file, text, at);
    for (const auto& [key, slot] : {std::pair{"input", &fc.objects.input}, std::pair{"context", &fc.objects.context},
                                    std::pair{"profile", &fc.objects.profile}}) {
      if (!c.contains(key)) continue;
      if (!c[key].is_object()) return util::make_error(util::where(file, text, at + "/" + key) + ": must be an object");
      *slot = c[key];
    }
    if (c.contains("expect")) {
      if (!c["expect"].is_array())
        return util::make_error(util::where(file, text, at + "/expect") + ": a list of codes");
      std::vector<std::string> codes;
      for (const auto& e : c["expect"])
        if (e.is_string()) codes.push_back(e.get<std::string>());
      std::sort(codes.begin(), codes.end());
      codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
      fc.expect = std::move(codes);
    }
    if (c.contains("node")) {
      if (!c["node"].is_string())
        return util::make_error(util::where(file, text, at + "/node") + ": a node's label or _id");
      fc.node = c["node"].get<std::string>();
    }
    for (const auto& [k, _] : c.items())
      if (k != "name" && k != "node" && k != "input" && k != "context" && k != "profile" && k != "expect")
        return util::make_error(
            util::where(file, text, util::pointer_append(at, k)).append(": unknown key \"").append(k).append("\""));
    out.push_back(std::move(fc));
  }
  return out;
}

std::vector<CaseResult> run_cases(const std::vector<HandoverNode>& handovers, const std::vector<FlowCase>& cases) {
  std::vector<CaseResult> out;
  for (const auto& h : handovers) {
    if (h.node->disabled || h.kind == HandoverKind::builtin) continue;
    for (const auto& c : cases) {
      if (!c.node.empty() && c.node != h.node->label && c.node != h.node->id) continue;
      CaseResult r;
      r.handover = &h;
      r.flow_case = &c;
      build(h, c.objects, r);
      const std::vector<contracts::Contract>* contracts =
          h.call_is_payload ? contract_of(h.profile, r.contract) : nullptr;
      if (!contracts) {
        r.contract.clear();
        r.verdict = std::string("rendered; no payload contract for ").append(h.call);
        out.push_back(std::move(r));
        continue;
      }
      r.violations = contracts::check_payload(*contracts, r.payload, util::dump_line(r.payload).size());
      std::vector<std::string> got;
      for (const auto& v : r.violations) got.push_back(v.code);
      std::sort(got.begin(), got.end());
      got.erase(std::unique(got.begin(), got.end()), got.end());
      if (c.expect) {
        r.passed = got == *c.expect;
        r.verdict = r.passed ? std::string("codes as expected")
                             : std::string("expected [")
                                   .append(util::join(*c.expect, ", "))
                                   .append("], got [")
                                   .append(util::join(got, ", "))
                                   .append("]");
      } else {
        r.passed = got.empty();
        r.verdict = r.passed ? std::string("valid against ").append(r.contract)
                             : std::to_string(r.violations.size()).append(" violation(s) of ").append(r.contract);
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace client::flows
