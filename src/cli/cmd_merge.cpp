// gazette merge SHARD_DIR... -o OUT: the output folders of batch --shard K/N
// runs joined into one, as one batch run over the whole list writes it.
#include <iostream>
#include <memory>

#include "batch.h"
#include "cli.h"

namespace gazette::cli {
namespace {

struct MergeCliOptions {
  std::vector<std::string> shards;
  std::string out;
  bool quiet = false;
};

int run_merge_command(const MergeCliOptions& o) {
  MergeSummary sum;
  Error err;
  if (!merge_batches(o.shards, o.out, &sum, &err)) {
    report(err);
    return exit_status_for(err.kind);
  }
  for (const Error& e : sum.failures) report(e);
  if (!o.quiet || !sum.failures.empty())
    std::cerr << "gazette: merged " << sum.shards << " shard(s): " << sum.issues << " issue(s), "
              << sum.failures.size() << " failed in their shard; " << sum.notices << " notice(s) in " << o.out << "/"
              << kNoticeIndexFile << "\n";
  return sum.failures.empty() ? kExitOk : exit_status_for(sum.failures.front().kind);
}

}  // namespace

std::function<int()> add_merge(CLI::App& app) {
  auto o = std::make_shared<MergeCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Join the output folders of batch --shard K/N runs into one, as a single batch run writes it");
  cmd->add_option("shards", o->shards, "The output folder of every shard of one list (batch --shard K/N -o DIR)")
      ->required();
  cmd->add_option("-o,--output", o->out, "Folder to merge into (not one of the shards)")->required();
  cmd->add_flag("-q,--quiet", o->quiet, "Print nothing but errors");
  cmd->footer(std::string(kExitStatusHelp) +
              "\nmerge: 3 also when the folders are not the shards of one list (another list, other options, a "
              "shard missing or given twice); otherwise 0, or the status of the first issue that failed in its "
              "shard.");
  return [o] { return run_merge_command(*o); };
}

}  // namespace gazette::cli
