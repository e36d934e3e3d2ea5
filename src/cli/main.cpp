// gazette: Chinese government gazettes (政府公报) to structured data.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>

#include "cli.h"

namespace gazette::cli {

void report(const Error& e) { std::cerr << "gazette: " << format_error(e) << "\n"; }
void report(const std::string& message) { std::cerr << "gazette: " << message << "\n"; }

void add_input_options(CLI::App* cmd, InputOptions* o) {
  cmd->add_option("--grammar", o->grammars,
                  "Rule file to use, repeatable, in order (default: base.yaml, then every other *.yaml overlay, "
                  "of the rule folder 'gazette --help' names)");
  cmd->add_option("--encoding", o->encoding,
                  "Input encoding (ICU name: UTF-8, GB18030, GBK, UTF-16LE, ...); default: detected");
  cmd->add_flag("--lossy", o->lossy, "Replace undecodable bytes with U+FFFD (and say how many) instead of failing");
  cmd->add_flag("-q,--quiet", o->quiet, "Print nothing but errors");
  cmd->add_flag("--no-ocr", o->no_ocr, "Refuse scanned pages (image files, PDF pages without text) instead of OCR");
  cmd->add_flag("--ocr-text", o->ocr_text,
                "The text file is OCR output made elsewhere: read it with the grammar's OCR readings (scope: ocr)");
  cmd->add_option("--ocr-lang", o->ocr_lang, "Tesseract language data for scans (default chi_sim; e.g. chi_sim+eng)");
  cmd->add_option("--ocr-dpi", o->ocr_dpi, "Resolution scanned PDF pages are rendered at for OCR")
      ->check(CLI::Range(72, 1200));
  cmd->add_option("--ocr-jobs", o->ocr_jobs, "Pages read by OCR at once (default: one a core)")
      ->check(CLI::Range(1, 256));
}

DecodeOptions InputOptions::decode(const std::string& name) const {
  DecodeOptions d;
  d.encoding = encoding;
  d.lossy = lossy;
  d.ocr_text = ocr_text;
  d.ocr.enabled = !no_ocr;
  d.ocr.language = ocr_lang;
  d.ocr.dpi = ocr_dpi;
  d.ocr.jobs = ocr_jobs;
  if (!quiet && !name.empty() && isatty(STDERR_FILENO)) {
    d.ocr.progress = [name](int done, int total) {
      std::cerr << "\rgazette: " << name << ": OCR page " << done << " of " << total << (done == total ? "\n" : "")
                << std::flush;
    };
  }
  return d;
}

bool load_rules(const InputOptions& o, Grammar* g) {
  std::vector<std::string> files = o.grammars.empty() ? default_grammar_files() : o.grammars;
  if (files.empty()) {
    std::string looked;
    for (const RuleFolder& f : rule_folders()) looked += (looked.empty() ? "" : ", ") + f.path + " (" + f.from + ")";
    report("no rule files found: no base.yaml in " + looked +
           "; give --grammar FILE or set GAZETTE_GRAMMARS to the grammars folder");
    return false;
  }
  Error err;
  if (!load_grammar(files, g, &err)) {
    report(err);
    return false;
  }
  return true;
}

int read_and_explain(const InputOptions& o, const std::string& input, Grammar* g, Issue* issue,
                     std::vector<LineExplanation>* lines) {
  if (!load_rules(o, g)) return kExitUsage;
  SourceText src;
  Error err;
  if (!read_source(input, o.decode(input), &src, &err) || !explain_issue(std::move(src), *g, issue, lines, &err)) {
    report(err);
    return exit_status_for(err.kind);
  }
  return kExitOk;
}

std::string issue_name_of(const std::string& input) {
  std::string stem = input == "-" ? std::string() : std::filesystem::path(input).stem().string();
  return stem.empty() ? "gazette-out" : stem;
}

int read_and_convert(const InputOptions& o, const std::string& input, const Grammar& g, Issue* issue) {
  SourceText src;
  Error err;
  if (!read_source(input, o.decode(input), &src, &err)) {
    report(err);
    return exit_status_for(err.kind);  // 3, or 2 for an unknown --encoding
  }
  if (src.replaced > 0 && !o.quiet)
    report(input + ": replaced " + std::to_string(src.replaced) + " undecodable byte(s) with U+FFFD (--lossy)");
  if (!convert_issue(std::move(src), g, issue, &err) || !check_is_gazette(*issue, &err)) {
    report(err);
    return exit_status_for(err.kind);
  }
  return kExitOk;
}

int write_file_whole(const std::string& path, const std::string& what,
                     const std::function<bool(const std::string& tmp)>& write) {
  const std::string tmp = path + ".part-" + std::to_string(::getpid());
  if (!std::ofstream(tmp, std::ios::binary) || !write(tmp) || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    report(path + ": cannot write " + what);
    return kExitOutput;
  }
  return kExitOk;
}

int write_whole_file(const std::string& path, const std::string& text, const std::string& what) {
  if (path == "-") {
    std::cout << text;
    std::cout.flush();
    if (std::cout) return kExitOk;
    report("cannot write " + what + " to standard output");
    return kExitOutput;
  }
  return write_file_whole(path, what, [&](const std::string& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    return static_cast<bool>(f.flush());
  });
}

const std::string kRuleFilesHelp =
    "Rule files (without --grammar): base.yaml, then every other *.yaml, of the first folder of:\n"
    "$GAZETTE_GRAMMARS (when set, the only one); " GAZETTE_GRAMMARS_FROM_BIN " from the binary's folder\n"
    "(installed); the source tree's grammars/ (a build tree). 'gazette grammar check' prints the files.";

std::string exit_status_footer(const std::string& zero_and_one) {
  return "Exit status: " + zero_and_one + "; 2 usage or rule-file error;\n"
         "3 input unreadable or undecodable; 4 output cannot be written; 5 out of memory.";
}

const std::string kExitStatusHelp = exit_status_footer("0 success; 1 validate found errors or diff found differences");

void add_color_option(CLI::App* cmd, std::string* mode) {
  cmd->add_option("--color", *mode, "Colour the text output (auto: when standard output is a terminal and NO_COLOR is unset)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode != "auto" || !isatty(STDOUT_FILENO)) return false;
  const char* no_color = std::getenv("NO_COLOR");
  return !no_color || !*no_color;
}

}  // namespace gazette::cli

int main(int argc, char** argv) {
  using namespace gazette::cli;
  CLI::App app{"gazette: turns the text of Chinese government gazettes (政府公报) into structured data", "gazette"};
  app.set_version_flag("--version", std::string("gazette ") + GAZETTE_VERSION);
  app.footer(kRuleFilesHelp + "\n" + kExitStatusHelp);
  app.require_subcommand(1);
  // Every subcommand, in the order --help lists them.
  using AddCommand = std::function<int()> (*)(CLI::App&);
  static constexpr AddCommand kCommands[] = {add_convert, add_text,  add_validate, add_diff,   add_review,
                                             add_batch,   add_export, add_merge,   add_grammar};
  std::vector<std::pair<CLI::App*, std::function<int()>>> runs;
  for (AddCommand add : kCommands) {
    auto run = add(app);
    runs.emplace_back(app.get_subcommands({}).back(), run);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11's own statuses are 100 and up; ours is 2 for every usage error.
    // CLI11 calls a mistyped subcommand "A subcommand is required": name it.
    std::string first = argc > 1 ? argv[1] : "";
    if (!first.empty() && first[0] != '-' && app.get_subcommands([&](CLI::App* s) { return s->check_name(first); }).empty()) {
      std::string names;
      for (auto& r : runs) names += (names.empty() ? "" : ", ") + r.first->get_name();
      report("unknown subcommand '" + first + "' (expected one of: " + names + ")");
    } else {
      report(e.what());
    }
    std::cerr << "Run 'gazette --help' for usage.\n";
    return gazette::kExitUsage;
  }
  for (auto& [sub, run] : runs)
    if (sub->parsed()) {
      try {
        return run();
      } catch (const std::bad_alloc&) {
        report(gazette::kOutOfMemory);
        return gazette::kExitMemory;
      }
    }
  return gazette::kExitUsage;
}
