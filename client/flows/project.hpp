// A released Cognigy project as its flows' nodes, read from what teams keep in git or export:
// a Cognigy-CLI clone (<agent>/flows/locales.json, flows/<Flow>/config.json,
// flows/<Flow>/<locale>/chart.json: the readChart answer with each node's config; Cognigy/
// Cognigy-CLI src/lib/flows.ts), its flows/ folder, one chart.json, or a package export (a zip:
// index.json, flow/, chart/ with each flow's nodes and relations, nodeData/<_id> with the node's
// config per locale at localizedData[i].config), read with libzip. Bounded: 64 MB per file or zip
// entry, 512 MB uncompressed per package, 20,000 charts or entries.
#pragma once

#include <string>
#include <vector>

#include "util/json_text.hpp"
#include "util/result.hpp"

namespace client::flows {

struct FlowNode {
  std::string flow;    // the flow's name
  std::string locale;  // the locale's name (en-US), or its id when the project does not name it
  std::string id;      // the node's _id
  std::string type;    // handoverToCXone, sendCxoneSignal, httpRequest, ...
  std::string label;
  std::string extension;
  bool disabled = false;
  util::Json config = util::Json::object();
  std::string file;            // chart.json, or "package.zip!nodeData/<id>.json"
  std::string config_pointer;  // where the config is inside file ("/nodes/3/config")
  std::string where;           // file:line:col of the node (the file alone when it cannot be placed)
};

struct FlowProject {
  std::string source;  // the path given
  std::string kind;    // "clone", "flows", "chart" or "package"
  std::vector<FlowNode> nodes;
  std::vector<std::string> flows;  // names, in the order read
  // The text of each file or zip entry read, for placing findings (file -> text).
  std::vector<std::pair<std::string, std::string>> texts;
  const std::string* text_of(const std::string& file) const;
};

util::Result<FlowProject> load_flow_project(const std::string& path);

}  // namespace client::flows
