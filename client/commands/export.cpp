// handover-diag export pact: scenarios written as one Pact v3 file (atomically); what Pact v3
// cannot say is printed as notes on stderr.
#include <iostream>

#include "client/commands/commands.hpp"
#include "client/commands/common.hpp"
#include "mockserver/fixture_loader.hpp"
#include "mockserver/pact_export.hpp"
#include "util/cli.hpp"
#include "util/file.hpp"

namespace client::commands {

int export_pact(const ExportArgs& a) {
  auto files = util::expand_paths(a.paths, {".json"});
  if (!files) return usage_error(files.error().message);
  std::vector<mockserver::Fixture> fixtures;
  for (const auto& f : *files) {
    if (f.filename().string().ends_with(".schema.json")) continue;
    auto fixture = mockserver::load_fixture(f);
    if (!fixture) return usage_error(fixture.error().message);
    fixtures.push_back(std::move(*fixture));
  }
  if (fixtures.empty()) return usage_error("no scenario files (*.json) in " + a.paths.front());
  auto out = mockserver::pact_from_fixtures(fixtures, a.consumer, a.provider);
  for (const auto& note : out.notes) std::cerr << "handover-diag: note: " << note << "\n";
  std::string text = util::dump_pretty(out.pact) + "\n";
  if (a.out.empty() || a.out == "-") {
    std::cout << text;
  } else if (auto st = util::write_file_atomic(a.out, text); !st) {
    return usage_error("--out " + st.error().message);
  }
  return util::kExitOk;
}

}  // namespace client::commands
