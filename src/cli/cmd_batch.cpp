// gazette batch [PATH...] [--files-from LIST [-0]] [--shard K/N] -o DIR [-j N] [--format json|yaml] [--incremental]
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include <unistd.h>

#include "batch.h"
#include "cli.h"

namespace gazette::cli {
namespace {

struct BatchCliOptions {
  InputOptions in;
  std::vector<std::string> paths;
  std::string files_from;  ///< a list of paths, one a line; "-": standard input
  bool null_separated = false;
  std::string shard;  ///< K/N
  std::string out;
  std::string format = "json";
  unsigned jobs = 0;
  bool incremental = false;
};

/// A one-line progress bar on stderr: issues done of total, rate, time left.
/// Redrawn at most ten times a second; erased before any other message.
class ProgressBar {
 public:
  void update(const BatchProgress& p) {
    auto now = std::chrono::steady_clock::now();
    if (!p.finished && drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    if (p.finished) {
      clear();
      return;
    }
    const int width = 30;
    int fill = p.total ? static_cast<int>(width * p.done / p.total) : width;
    std::string bar(static_cast<std::size_t>(fill), '#');
    bar.append(static_cast<std::size_t>(width - fill), '.');
    double rate = p.elapsed_seconds > 0 ? p.done / p.elapsed_seconds : 0;
    char eta[32] = "--:--";
    if (rate > 0) {
      long left = static_cast<long>((p.total - p.done) / rate + 0.5);
      std::snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
    }
    char line[160];
    std::snprintf(line, sizeof line, "\r[%s] %zu/%zu issues  %.1f/s  %s left%s\x1b[K", bar.c_str(), p.done, p.total,
                  rate, eta, p.failed ? (" (" + std::to_string(p.failed) + " failed)").c_str() : "");
    std::cerr << line << std::flush;
    drawn_ = true;
  }
  /// Erases the bar so that a message starts on a clean line.
  void clear() {
    if (drawn_) std::cerr << "\r\x1b[K" << std::flush;
    drawn_ = false;
  }

 private:
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

/// The whole sorted issue list: the paths given and those --files-from
/// lists. kExitOk, or reports and returns the exit status.
int list_jobs(const BatchCliOptions& o, std::vector<BatchJob>* jobs) {
  std::vector<std::string> paths = o.paths;
  Error err;
  if ((!o.files_from.empty() && !read_path_list(o.files_from, o.null_separated, &paths, &err)) ||
      !discover_jobs(paths, jobs, &err)) {
    report(err);
    return kExitInput;
  }
  if (jobs->empty()) {
    report("no issue files (*.txt, *.pdf, *.png, *.jpg, *.tif) found in the given paths");
    return kExitInput;
  }
  return kExitOk;
}

int run_batch_command(const BatchCliOptions& o) {
  if (o.paths.empty() && o.files_from.empty()) {
    report("batch: give issue files or folders, or --files-from LIST (see gazette batch --help)");
    return kExitUsage;
  }
  BatchOptions opts;
  std::string why;
  if (!o.shard.empty() && !parse_shard(o.shard, &opts.shard, &opts.shards, &why)) {
    report(why);
    return kExitUsage;
  }
  Grammar g;
  if (!load_rules(o.in, &g)) return kExitUsage;
  std::vector<BatchJob> jobs;
  if (int status = list_jobs(o, &jobs); status != kExitOk) return status;

  opts.out_dir = o.out;
  opts.jobs = o.jobs;
  opts.format = o.format == "yaml" ? Format::Yaml : Format::Json;
  opts.decode = o.in.decode();
  // Issues are read side by side: each one's scanned pages one at a time.
  if (o.in.ocr_jobs == 0 && o.jobs != 1) opts.decode.ocr.jobs = 1;
  opts.incremental = o.incremental;

  ProgressBar bar;
  const bool show_bar = !o.in.quiet && ::isatty(STDERR_FILENO);
  BatchCallbacks cb;
  cb.outcome = [&](const IssueOutcome& r) {
    if (r.status == IssueStatus::Failed) {
      bar.clear();
      report(r.error);
    } else if (r.status == IssueStatus::Converted && r.replaced > 0 && !o.in.quiet) {
      bar.clear();
      report(r.job->input + ": replaced " + std::to_string(r.replaced) + " undecodable byte(s) with U+FFFD (--lossy)");
    }
  };
  if (show_bar) cb.progress = [&](const BatchProgress& p) { bar.update(p); };

  BatchSummary sum;
  Error err;
  bool ok = run_batch(jobs, g, g.files, opts, cb, &sum, &err);
  bar.clear();
  if (!ok) {
    report(err);
    return exit_status_for(err.kind);
  }
  const std::string share = opts.shards > 1 ? "shard " + o.shard + ": " +
                                                  std::to_string(sum.converted + sum.failed + sum.skipped) + " of " +
                                                  std::to_string(jobs.size()) + " issues; "
                                            : std::string();
  if (!o.in.quiet || sum.failed > 0)
    std::cerr << "gazette: " << share << sum.converted << " converted, " << sum.failed << " failed, " << sum.skipped
              << " skipped (up to date); " << sum.notices << " notice(s) in " << o.out << "/" << kNoticeIndexFile
              << "\n";
  return sum.has_failure ? exit_status_for(sum.first_failure) : kExitOk;
}

}  // namespace

std::function<int()> add_batch(CLI::App& app) {
  auto o = std::make_shared<BatchCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "batch", "Convert many issues (files, or folders searched for *.txt and *.pdf) into one folder, plus notices.jsonl");
  cmd->add_option("paths", o->paths, "Issue files or folders (searched recursively for *.txt and *.pdf)");
  CLI::Option* list = cmd->add_option(
      "--files-from", o->files_from,
      "Also read the issue files or folders from LIST, one a line, relative to the current folder ('-': standard "
      "input)")
      ->type_name("LIST");
  cmd->add_flag("-0,--null", o->null_separated, "The --files-from list is NUL-separated (find -print0)")->needs(list);
  cmd->add_option("--shard", o->shard,
                  "Convert only shard K of N (1 <= K <= N) of the sorted issue list, chosen by a hash of each "
                  "issue's path; join the shards' folders with gazette merge")
      ->type_name("K/N");
  cmd->add_option("-o,--output", o->out, "Output folder: one subfolder per issue, and notices.jsonl")->required();
  cmd->add_option("-j,--jobs", o->jobs, "Worker threads, up to 1024 (default, or 0: one per core)")
      ->check(CLI::Range(0, 1024).description("0 to 1024"));
  cmd->add_option("--format", o->format, "Output format (default json: loads fastest, and DuckDB reads it)")
      ->check(CLI::IsMember({"json", "yaml"}));
  cmd->add_flag("--incremental", o->incremental,
                "Skip issues whose input, rule files and options are unchanged since their output was written");
  add_input_options(cmd, &o->in);
  cmd->footer(std::string(kExitStatusHelp) +
              "\nbatch: 0 only when every issue converted (or was up to date); otherwise the status of the first "
              "failed issue's kind.");
  return [o] { return run_batch_command(*o); };
}

}  // namespace gazette::cli
