// gazette diff OLD NEW [--format text|json] [--color auto|always|never] [-q]
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "convert.h"
#include "diff.h"
#include "issue_folder.h"
#include "writer.h"

namespace gazette::cli {
namespace {

struct DiffCmdOptions {
  InputOptions in;
  std::string old_path;
  std::string new_path;
  std::string format = "text";
  std::string color = "auto";
  bool all = false;
};

/// An issue text is converted; a folder written by convert is read back.
/// Reports and returns the exit status on failure, 0 on success.
int load_issue(const std::string& path, const DiffCmdOptions& o, const Grammar* g, Issue* out) {
  Error err;
  std::error_code ec;
  if (path != "-" && std::filesystem::is_directory(path, ec)) {
    if (!read_issue_folder(path, out, &err)) {
      report(err);
      return kExitInput;
    }
    return kExitOk;
  }
  SourceText src;
  if (!read_source(path, o.in.decode(), &src, &err)) {
    report(err);
    return exit_status_for(err.kind);  // 3, or 2 for an unknown --encoding
  }
  if (src.replaced > 0 && !o.in.quiet)
    report(path + ": replaced " + std::to_string(src.replaced) + " undecodable byte(s) with U+FFFD (--lossy)");
  if (!convert_issue(std::move(src), *g, out, &err)) {
    report(err);
    return exit_status_for(err.kind);
  }
  return kExitOk;
}

bool is_dir(const std::string& p) {
  std::error_code ec;
  return p != "-" && std::filesystem::is_directory(p, ec);
}

TextStyle text_style(const DiffCmdOptions& o) {
  TextStyle st;
  st.show_unchanged = o.all;
  if (use_color(o.color)) {
    st.del_open = "\x1b[31;9m";  // red, struck through
    st.del_close = "\x1b[0m";
    st.ins_open = "\x1b[32;4m";  // green, underlined
    st.ins_close = "\x1b[0m";
    st.head_open = "\x1b[1m";
    st.head_close = "\x1b[0m";
  }
  return st;
}

int run_diff(const DiffCmdOptions& o) {
  if (o.old_path == "-" && o.new_path == "-") {
    report("only one of OLD and NEW can be standard input");
    return kExitUsage;
  }
  Grammar g;
  if ((!is_dir(o.old_path) || !is_dir(o.new_path)) && !load_rules(o.in, &g)) return kExitUsage;
  Issue a, b;
  if (int rc = load_issue(o.old_path, o, &g, &a)) return rc;
  if (int rc = load_issue(o.new_path, o, &g, &b)) return rc;
  IssueDiff d = diff_issues(a, b);
  if (o.in.quiet) return d.same() ? kExitOk : kExitFindings;  // -q: the status is the answer
  if (o.format == "json") std::cout << render_json(diff_to_json(d));
  else std::cout << render_diff_text(d, text_style(o));
  std::cout.flush();
  if (!std::cout) {
    report("cannot write the output");
    return kExitOutput;
  }
  return d.same() ? kExitOk : kExitFindings;
}

}  // namespace

std::function<int()> add_diff(CLI::App& app) {
  auto o = std::make_shared<DiffCmdOptions>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "Compare two issues notice by notice: what was added, removed, renumbered or changed");
  cmd->add_option("old", o->old_path, "The earlier issue: a text file, or a folder written by convert")->required();
  cmd->add_option("new", o->new_path, "The later issue: a text file, or a folder written by convert")->required();
  cmd->add_option("--format", o->format, "Output format (text: for reading; json: gazette.diff/1)")
      ->check(CLI::IsMember({"text", "json"}));
  add_color_option(cmd, &o->color);
  cmd->add_flag("--all", o->all, "List unchanged notices too (text output)");
  add_input_options(cmd, &o->in);
  cmd->footer("Layout (wrapping, full- or half-width forms, page breaks) is never a change. With -q nothing is "
              "printed\n(but error messages): the exit status is the answer.\n" +
              exit_status_footer("0 the issues are the same; 1 they differ"));
  return [o] { return run_diff(*o); };
}

}  // namespace gazette::cli
