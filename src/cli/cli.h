// CLI glue shared by the subcommands: their table, messages, exit statuses.
// Only this folder prints and chooses exit statuses; the library returns values.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "diagnostics.h"
#include "convert.h"
#include "grammar.h"
#include "source.h"

namespace gazette::cli {

/// The subcommands, each in its own cmd_NAME.cpp: add_NAME adds it to the
/// app and returns the function that runs it once the command line is
/// parsed (its result is the exit status). main.cpp lists them in one table.
std::function<int()> add_convert(CLI::App& app);
std::function<int()> add_text(CLI::App& app);
std::function<int()> add_validate(CLI::App& app);
std::function<int()> add_diff(CLI::App& app);
std::function<int()> add_review(CLI::App& app);
std::function<int()> add_batch(CLI::App& app);
std::function<int()> add_export(CLI::App& app);
std::function<int()> add_merge(CLI::App& app);
std::function<int()> add_grammar(CLI::App& app);

/// Prints `gazette: FILE:LINE:COL: message` on stderr.
void report(const Error& e);
/// Prints `gazette: message` on stderr.
void report(const std::string& message);

/// Options every command that reads issues shares.
struct InputOptions {
  std::vector<std::string> grammars;
  std::string encoding;
  bool lossy = false;
  bool quiet = false;
  bool no_ocr = false;
  bool ocr_text = false;
  std::string ocr_lang = "chi_sim";
  int ocr_dpi = 300;
  int ocr_jobs = 0;
  /// The decoding options; `name` is the input, for the OCR progress line
  /// printed on a terminal.
  DecodeOptions decode(const std::string& name = std::string()) const;
};
void add_input_options(CLI::App* cmd, InputOptions* o);

/// Loads the rule files given with --grammar, or the default set. Reports and
/// returns false when one is broken.
bool load_rules(const InputOptions& o, Grammar* g);

/// Reads `input` and converts it with every printed line explained (grammar
/// explain, review). Returns kExitOk, or reports and returns the status.
int read_and_explain(const InputOptions& o, const std::string& input, Grammar* g, Issue* issue,
                     std::vector<LineExplanation>* lines);

/// The name of an issue read from `input`: the file name without its
/// extension (convert's default folder), gazette-out for standard input.
std::string issue_name_of(const std::string& input);

/// Reads `input` and converts it as convert does (a text that is no gazette
/// issue refused). Returns kExitOk, or reports and returns the status.
int read_and_convert(const InputOptions& o, const std::string& input, const Grammar& g, Issue* issue);

/// Makes `path` whole: `write` writes a temporary file beside it (already
/// created, so known writable), renamed to `path` when `write` succeeded and
/// removed otherwise. Reports and returns kExitOutput when it cannot.
int write_file_whole(const std::string& path, const std::string& what,
                     const std::function<bool(const std::string& tmp)>& write);

/// Writes `text` to `path` whole: under a temporary name, renamed at the end
/// (never a half-written file); "-" writes to standard output. Reports and
/// returns kExitOutput when it cannot.
int write_whole_file(const std::string& path, const std::string& text, const std::string& what);

/// Where the default rule files come from, as --help and the README give it.
extern const std::string kRuleFilesHelp;
/// The exit statuses, as --help and the README give them.
extern const std::string kExitStatusHelp;

/// The footer line of a command whose 0 and 1 mean something of its own
/// (validate, diff): "Exit status: " + zero_and_one + the statuses 2–4 every
/// command shares. One "Exit status" paragraph: a subcommand's footer
/// replaces the one it inherits from the app (CLI11 copies the parent's
/// footer into each subcommand when it is added).
std::string exit_status_footer(const std::string& zero_and_one);

/// --color auto|always|never, for commands that colour their text output.
void add_color_option(CLI::App* cmd, std::string* mode);
/// Whether standard output gets ANSI colours: "always"; never with "never";
/// with "auto" when standard output is a terminal and NO_COLOR is unset or empty.
bool use_color(const std::string& mode);

}  // namespace gazette::cli
