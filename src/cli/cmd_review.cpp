// gazette review ISSUE [-o PAGE.html] [--folder DIR]: one self-contained HTML
// page with the issue's printed lines beside the issue as gazette read it
// (or as a folder convert wrote earlier holds it), with validate's findings.
#include <iostream>

#include "cli.h"
#include "issue_folder.h"
#include "review.h"
#include "validate.h"

namespace gazette::cli {
namespace {

struct ReviewOptions {
  InputOptions in;
  std::string input;
  std::string out;
  std::string folder;
};

/// The page's default name: the input's file name with .review.html.
std::string default_page_name(const std::string& input) {
  std::string base = input == "-" ? std::string("stdin") : input.substr(input.find_last_of('/') + 1);
  const std::size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && dot > 0) base.erase(dot);
  return base + ".review.html";
}

int run_review(const ReviewOptions& o) {
  Grammar g;
  Issue issue;
  std::vector<LineExplanation> lines;
  if (int status = read_and_explain(o.in, o.input, &g, &issue, &lines); status != kExitOk) return status;
  if (!o.folder.empty()) {
    // The model as a conversion written earlier holds it, beside this text.
    Issue written;
    Error err;
    if (!read_issue_folder(o.folder, &written, &err)) {
      report(err);
      return exit_status_for(err.kind);
    }
    issue = std::move(written);
  }
  const std::vector<Finding> findings = validate_issues({&issue});
  const std::string out = o.out.empty() ? default_page_name(o.input) : o.out;
  if (int status = write_whole_file(out, render_review_page(o.input, issue, lines, findings), "the review page");
      status != kExitOk)
    return status;
  if (!o.in.quiet && out != "-")
    std::cerr << "gazette: " << o.input << ": " << issue.notices.size() << " notice(s), " << findings.size()
              << " finding(s) -> " << out << "\n";
  return kExitOk;
}

}  // namespace

std::function<int()> add_review(CLI::App& app) {
  auto o = std::make_shared<ReviewOptions>();
  CLI::App* cmd = app.add_subcommand(
      "review", "Write one self-contained HTML page showing the issue's lines beside the issue as read, with findings");
  cmd->add_option("issue", o->input, "Issue file: text, PDF or page image ('-' reads standard input)")->required();
  cmd->add_option("-o,--output", o->out, "The page to write ('-' for standard output; default: ISSUE.review.html here)");
  cmd->add_option("--folder", o->folder, "Show the conversion a folder holds (written by convert) instead of converting");
  add_input_options(cmd, &o->in);
  cmd->footer(kExitStatusHelp);
  return [o] { return run_review(*o); };
}

}  // namespace gazette::cli
