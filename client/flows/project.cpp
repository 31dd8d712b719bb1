// Cognigy projects from clones and package exports (see project.hpp).
#include "client/flows/project.hpp"

#include <zip.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

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

// The entries of a package, read whole (each bounded, the total too).
class Package {
 public:
  static util::Result<Package> open(const std::string& path) {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (!z) {
      zip_error_t e;
      zip_error_init_with_code(&e, err);
      std::string why = zip_error_strerror(&e);
      zip_error_fini(&e);
      return util::make_error(path + ": not a readable package zip (" + why + ")");
    }
    Package p;
    p.path_ = path;
    p.zip_.reset(z);
    return p;
  }
  // name -> text of every .json entry.
  util::Result<std::map<std::string, std::string>> json_entries() {
    std::map<std::string, std::string> out;
    zip_int64_t count = zip_get_num_entries(zip_.get(), 0);
    if (count < 0 || static_cast<std::size_t>(count) > kMaxCharts * 4)
      return util::make_error(path_ + ": " + std::to_string(count) + " entries (at most 80000 are read)");
    std::size_t total = 0;
    for (zip_int64_t i = 0; i < count; ++i) {
      zip_stat_t st;
      if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
        continue;
      std::string name = st.name;
      if (!name.ends_with(".json") && name.find("nodeData/") != 0) continue;
      if (!(st.valid & ZIP_STAT_SIZE) || st.size > kMaxFile)
        return util::make_error(path_ + "!" + name + ": larger than 64 MB uncompressed");
      total += st.size;
      if (total > kMaxPackage) return util::make_error(path_ + ": more than 512 MB uncompressed");
      std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(i), 0),
                                                           &zip_fclose);
      if (!f) return util::make_error(path_ + "!" + name + ": " + zip_strerror(zip_.get()));
      std::string text(st.size, '\0');
      zip_int64_t got = zip_fread(f.get(), text.data(), st.size);
      if (got < 0 || static_cast<zip_uint64_t>(got) != st.size)
        return util::make_error(path_ + "!" + name + ": cut short");
      out.emplace(std::move(name), std::move(text));
    }
    return out;
  }

 private:
  struct Closer {
    void operator()(zip_t* z) const { zip_discard(z); }
  };
  std::string path_;
  std::unique_ptr<zip_t, Closer> zip_;
};

std::string stem(const std::string& entry, std::string_view folder) {
  std::string s = entry.substr(folder.size());
  if (s.ends_with(".json")) s.resize(s.size() - 5);
  return s;
}

util::Status read_package(const std::string& path, FlowProject& out) {
  TRY_ASSIGN(auto package, Package::open(path));
  TRY_ASSIGN(auto entries, package.json_entries());
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
