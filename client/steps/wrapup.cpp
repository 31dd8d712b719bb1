// The wrapup step: the wrap-up code's ID has the profile's format and is in the queue's list of
// codes, read page by page (page count, total or a short page ends the list).
#include "client/steps/steps.hpp"
#include "client/steps/support.hpp"
#include "contracts/codes.hpp"

namespace client::steps {

namespace {

// How many pages the list has, as this page's answer says (else: one more while pages are full).
int page_count_after(const Profile& p, const util::Json& body, const util::Json& entities, int page) {
  const auto& w = p.wrapup;
  const util::Json* pc = w.page_count_pointer.empty() ? nullptr : at_pointer(body, w.page_count_pointer);
  const util::Json* total = w.total_pointer.empty() ? nullptr : at_pointer(body, w.total_pointer);
  if (pc && pc->is_number_integer()) return pc->get<int>();
  if (total && total->is_number_integer())
    return static_cast<int>((total->get<long>() + w.page_size - 1) / w.page_size);
  return static_cast<int>(entities.size()) >= w.page_size ? page + 1 : page;
}

}  // namespace

void wrapup(Run& run, StepResult& s) {
  namespace codes = contracts::codes;
  const std::string& id = run.wrapup_id;
  if (id.empty()) return skip(s, "no wrap-up code ID (the payload lacks " + run.profile.payload_wrapup_pointer + ")");
  s.evidence["wrapupCodeId"] = id;
  if (!id_well_formed(run, s,
                      {.kind = "wrapup", .id = id, .code = codes::kWrapupCodeNotFound, .what = "wrap-up code ID"}))
    return;
  if (!run.passed("queue")) return skip(s, "not attempted: the queue step did not pass");
  const auto& w = run.profile.wrapup;
  int checked = 0, pages = 0, page_count = 1;
  util::Json seen = util::Json::array();
  for (int page = 1; page <= page_count && page <= w.max_pages; ++page) {
    std::map<std::string, std::string> vars = {{"queueId", run.queue_id},
                                               {"page", std::to_string(page)},
                                               {"offset", std::to_string((page - 1) * w.page_size)}};
    auto body = fetch(run, s, get_request(api_url(run, w.endpoint, vars)), kApiGet, w.endpoint.response_contract);
    if (!body) return;
    ++pages;
    const util::Json* entities = list_at(s, *body, w.entities_pointer, "wrap-up list");
    if (!entities) return;
    for (const auto& e : *entities) {
      ++checked;
      const util::Json* entry_id = at_pointer(e, w.id_pointer);
      const util::Json* name = at_pointer(e, w.name_pointer);
      if (seen.size() < 10 && name && name->is_string()) seen.push_back(*name);
      if (entry_id && (entry_id->is_string() || entry_id->is_number_integer()) && scalar_text(*entry_id) == id) {
        std::string n = name && name->is_string() ? name->get<std::string>() : "";
        s.evidence["name"] = n;
        s.evidence["page"] = page;
        s.status = StepStatus::ok;
        s.summary = "code " + (n.empty() ? id : "\"" + n + "\"") + " is in the queue's list (page " +
                    std::to_string(page) + ")";
        return;
      }
    }
    page_count = page_count_after(run.profile, *body, *entities, page);
  }
  s.evidence["codesChecked"] = checked;
  s.evidence["pages"] = pages;
  s.evidence["available"] = seen;
  fail(s, codes::kWrapupCodeNotFound,
       "code " + id + " is not among the queue's " + std::to_string(checked) + " wrap-up codes (" +
           std::to_string(pages) + " page" + (pages == 1 ? "" : "s") + ")");
}

}  // namespace client::steps
