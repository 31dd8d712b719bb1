// handover-diag export pact: scenarios written as one Pact v3 file (atomically); what Pact v3
// cannot say is printed as notes on stderr.
#include <iostream>

#include "client/commands/commands.hpp"
#include "client/commands/common.hpp"
#include "mockserver/fixture_loader.hpp"
#include "mockserver/pact_export.hpp"
#include "util/exit_codes.hpp"
#include "util/file.hpp"

namespace client::commands {

int export_pact(const ExportArgs& a) {
  auto loaded = load_scenarios(a.paths);
  if (!loaded) return usage_error(loaded.error().message);
  const std::vector<mockserver::Fixture>& fixtures = *loaded;
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
