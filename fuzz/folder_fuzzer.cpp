// libFuzzer target: arbitrary bytes as a folder convert wrote (fuzz/
// folder_input.h says how an input becomes files). Reading it back, as diff
// does, must end in an Issue or an Error with a message (never a crash, a
// hang or a leak); an Issue read is diffed against itself and against an
// empty issue, and the diffs rendered.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "diff.h"
#include "folder_input.h"
#include "issue_folder.h"
#include "writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;  // folders of small issues keep runs fast
  namespace fs = std::filesystem;
  static const fs::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    return fs::path(tmp && *tmp ? tmp : "/tmp") / ("gazette-folder-fuzz-" + std::to_string(::getpid()));
  }();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  gazette::fuzz::write_folder(std::string_view(reinterpret_cast<const char*>(data), size), dir.string());

  gazette::Issue issue;
  gazette::Error err;
  if (!gazette::read_issue_folder(dir.string(), &issue, &err)) {
    if (err.message.empty()) __builtin_trap();  // an error must say what is wrong
    return 0;
  }
  const gazette::Issue empty;
  for (const gazette::Issue* old_issue : {static_cast<const gazette::Issue*>(&issue), &empty}) {
    const gazette::IssueDiff d = gazette::diff_issues(*old_issue, issue);
    (void)gazette::render_diff_text(d);
    (void)gazette::render_json(gazette::diff_to_json(d));
  }
  return 0;
}
