// gazette text ISSUE [-o FILE]: the text as gazette reads it.
//
// For a text file that is the text decoded to UTF-8; for a PDF, the text
// layer as read (tables set with tabs between cells, a form feed at each page
// boundary); for a scan, what OCR read. Line N of this output is the `line`
// N that the converted notices cite.
#include <iostream>

#include "cli.h"

namespace gazette::cli {
namespace {

struct TextOptions {
  InputOptions in;
  std::string input;
  std::string out;
};

int run_text(const TextOptions& o) {
  SourceText src;
  Error err;
  if (!read_source(o.input, o.in.decode(o.input), &src, &err)) {
    report(err);
    return exit_status_for(err.kind);
  }
  return write_whole_file(o.out.empty() ? std::string("-") : o.out, src.text(), "the text");
}

}  // namespace

std::function<int()> add_text(CLI::App& app) {
  auto o = std::make_shared<TextOptions>();
  CLI::App* cmd = app.add_subcommand(
      "text", "Print an issue's text as gazette reads it (a PDF's text layer, a scan's OCR); notices cite its lines");
  cmd->add_option("issue", o->input, "Issue file: text, PDF or page image ('-' reads standard input)")->required();
  cmd->add_option("-o,--output", o->out, "Write the text to this file (default: standard output)");
  add_input_options(cmd, &o->in);
  cmd->footer(kExitStatusHelp);
  return [o] { return run_text(*o); };
}

}  // namespace gazette::cli
