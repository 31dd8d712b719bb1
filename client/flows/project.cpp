// Cognigy projects from clones and package exports (see project.hpp).
#include "client/flows/project.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "client/flows/package_zip.hpp"
#include "util/file.hpp"

namespace client::flows {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxFile = 64u << 20;
constexpr std::size_t kMaxPackage = 512u << 20;
constexpr std::size_t kMaxCharts = 20000;

std::vector<fs::path> sorted_dirs(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory(ec)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string text_member(const util::Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

FlowNode node_from(const util::Json& n, std::string flow, std::string locale) {
  FlowNode out;
  out.flow = std::move(flow);
  out.locale = std::move(locale);
  out.id = text_member(n, "_id");
  out.type = text_member(n, "type");
  out.label = text_member(n, "label");
  out.extension = text_member(n, "extension");
  out.disabled = n.contains("isDisabled") && n["isDisabled"] == true;
  return out;
}

// One chart.json of a clone: its nodes with their positions.
util::Status read_chart(const fs::path& file, const std::string& flow, const std::string& locale, FlowProject& out) {
  TRY_ASSIGN(auto text, util::read_file(file, kMaxFile));
  TRY_ASSIGN(auto chart, util::parse_json(text, file.string()));
  if (!chart.is_object() || !chart.contains("nodes") || !chart["nodes"].is_array())
    return util::make_error(file.string() + ": no \"nodes\" array (a chart.json as Cognigy-CLI writes it has one)");
  auto positions = util::locate_elements(text, "/nodes");
  for (std::size_t i = 0; i < chart["nodes"].size(); ++i) {
    const auto& n = chart["nodes"][i];
    if (!n.is_object()) continue;
    FlowNode node = node_from(n, flow, locale);
    if (n.contains("config")) node.config = n["config"];
    node.file = file.string();
    node.config_pointer = "/nodes/" + std::to_string(i) + "/config";
    node.where = i < positions.size() ? file.string() + ":" + std::to_string(positions[i].line) + ":" +
                                            std::to_string(positions[i].column)
                                      : file.string();
    out.nodes.push_back(std::move(node));
  }
  out.texts.emplace_back(file.string(), std::move(text));
  return util::Status{};
}

// flows/<Flow>/<locale>/chart.json under a flows folder.
util::Status read_flows_folder(const fs::path& flows, FlowProject& out) {
  std::size_t charts = 0;
  for (const auto& flow_dir : sorted_dirs(flows)) {
    std::string name = flow_dir.filename().string();
    if (auto config = util::read_file(flow_dir / "config.json", kMaxFile)) {
      auto doc = util::parse_json_lenient(*config);
      if (auto n = text_member(doc, "name"); !n.empty()) name = n;
    }
    bool any = false;
    for (const auto& locale_dir : sorted_dirs(flow_dir)) {
      std::error_code ec;
      if (!fs::is_regular_file(locale_dir / "chart.json", ec)) continue;
      if (++charts > kMaxCharts) return util::make_error(flows.string() + ": more than 20000 charts");
      TRY(read_chart(locale_dir / "chart.json", name, locale_dir.filename().string(), out));
      any = true;
    }
    if (any) out.flows.push_back(name);
  }
  if (out.flows.empty())
    return util::make_error(flows.string() +
                            ": no flows/<Flow>/<locale>/chart.json (a Cognigy-CLI clone: cognigy clone)");
  return util::Status{};
}

// name -> text of every .json entry of a package (and those under nodeData/), read whole (each
// bounded, the total too) by the zip module.
util::Result<std::map<std::string, std::string>> package_json_entries(const std::string& path) {
  using Read = decltype(&harness_zip_json_entries);
  TRY_ASSIGN(void* module, util::load_module(kZipModuleName, "reading a package .zip"));
  auto read = reinterpret_cast<Read>(::dlsym(module, "harness_zip_json_entries"));
  if (!read) return util::make_error(std::string(kZipModuleName) + " lacks harness_zip_json_entries");
  std::map<std::string, std::string> out;
  const HarnessZipLimits limits{kMaxCharts * 4, kMaxFile, kMaxPackage};
  auto keep = [](void* ctx, const char* name, std::size_t name_size, const char* text, std::size_t text_size) {
    try {
      static_cast<std::map<std::string, std::string>*>(ctx)->emplace(std::string(name, name_size),
                                                                     std::string(text, text_size));
      return 0;
    } catch (...) {  // nothing unwinds through the module
      return 1;
    }
  };
  char error[1024] = "";
  switch (read(path.c_str(), &limits, keep, &out, error, sizeof error)) {
    case 0:
      return out;
    case 2:
      return util::make_error(path + ": out of memory reading its entries");
    default:
      return util::make_error(error);
  }
}

std::string stem(const std::string& entry, std::string_view folder) {
  std::string s = entry.substr(folder.size());
  if (s.ends_with(".json")) s.resize(s.size() - 5);
  return s;
}

util::Status read_package(const std::string& path, FlowProject& out) {
  TRY_ASSIGN(auto entries, package_json_entries(path));
  std::map<std::string, std::string> locale_names, flow_names, node_flow;
  if (auto it = entries.find("index.json"); it != entries.end()) {
    auto index = util::parse_json_lenient(it->second);
    if (index.contains("locales") && index["locales"].is_array())
      for (const auto& l : index["locales"]) locale_names[text_member(l, "_id")] = text_member(l, "name");
  }
  for (const auto& [name, text] : entries) {
    if (name.starts_with("flow/"))
      flow_names[stem(name, "flow/")] = text_member(util::parse_json_lenient(text), "name");
  }
  for (const auto& [name, text] : entries) {
    if (!name.starts_with("chart/")) continue;
    std::string flow_id = stem(name, "chart/");
    std::string flow = flow_names.count(flow_id) && !flow_names[flow_id].empty() ? flow_names[flow_id] : flow_id;
    out.flows.push_back(flow);
    auto chart = util::parse_json_lenient(text);
    if (chart.contains("nodes") && chart["nodes"].is_array())
      for (const auto& n : chart["nodes"]) node_flow[text_member(n, "_id")] = flow;
  }
  for (const auto& [name, text] : entries) {
    if (!name.starts_with("nodeData/")) continue;
    std::string file = path;
    file.append("!").append(name);
    TRY_ASSIGN(auto data, util::parse_json(text, file));
    if (!data.contains("localizedData") || !data["localizedData"].is_array()) continue;
    for (std::size_t i = 0; i < data["localizedData"].size(); ++i) {
      const auto& l = data["localizedData"][i];
      std::string locale_id = text_member(l, "localeReference");
      std::string locale = locale_names.count(locale_id) ? locale_names[locale_id] : locale_id;
      std::string id = text_member(data, "_id");
      FlowNode node = node_from(data, node_flow.count(id) ? node_flow[id] : "(no flow)", locale);
      if (l.contains("config")) node.config = l["config"];
      node.file = file;
      node.config_pointer = "/localizedData/" + std::to_string(i) + "/config";
      node.where = util::where(file, text, node.config_pointer);
      out.nodes.push_back(std::move(node));
    }
    out.texts.emplace_back(file, text);
  }
  if (out.nodes.empty()) return util::make_error(path + ": no nodeData/ entries (a Cognigy package export has them)");
  return util::Status{};
}

}  // namespace

const std::string* FlowProject::text_of(const std::string& file) const {
  for (const auto& [f, t] : texts)
    if (f == file) return &t;
  return nullptr;
}

util::Result<FlowProject> load_flow_project(const std::string& path) {
  FlowProject out;
  out.source = path;
  std::error_code ec;
  fs::path p(path);
  if (fs::is_regular_file(p, ec) && p.extension() == ".zip") {
    out.kind = "package";
    TRY(read_package(path, out));
  } else if (fs::is_regular_file(p, ec) && p.filename() == "chart.json") {
    out.kind = "chart";
    fs::path locale = p.parent_path().filename(), flow = p.parent_path().parent_path().filename();
    TRY(read_chart(p, flow.empty() ? "(flow)" : flow.string(), locale.empty() ? "(locale)" : locale.string(), out));
    out.flows.push_back(flow.string());
  } else if (fs::is_directory(p / "flows", ec)) {
    out.kind = "clone";
    TRY(read_flows_folder(p / "flows", out));
  } else if (fs::is_directory(p, ec)) {
    out.kind = "flows";
    TRY(read_flows_folder(p, out));
  } else {
    return util::make_error(path +
                            ": not a Cognigy-CLI agent folder, its flows/ folder, a chart.json or a package .zip");
  }
  return out;
}

}  // namespace client::flows
