// libFuzzer target: arbitrary bytes through the whole convert pipeline, as
// `gazette convert` runs it: decode (detection, or lossy when the first byte
// asks for it) → convert_issue → render every file as JSON and as YAML. The
// default grammar is loaded once. Any input must end in output or an Error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "convert.h"
#include "grammar.h"
#include "source.h"
#include "writer.h"

namespace {

const gazette::Grammar& grammar() {
  static const gazette::Grammar g = [] {
    gazette::Grammar out;
    gazette::Error err;
    std::vector<std::string> files = {std::string(GAZETTE_SOURCE_DIR) + "/grammars/base.yaml"};
    if (!gazette::load_grammar(files, &out, &err)) __builtin_trap();
    return out;
  }();
  return g;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  const gazette::Grammar& g = grammar();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Half the inputs run lossy so that the pipeline sees U+FFFD too; the
  // choice is a bit of the input's length, not a byte of it, so every byte
  // stays text.
  gazette::DecodeOptions opts;
  opts.lossy = (size & 1) != 0;
  gazette::SourceText src;
  gazette::Error err;
  if (!gazette::decode_source(bytes, "fuzz.txt", opts, &src, &err)) {
    if (err.message.empty() || err.kind != gazette::ErrorKind::Input) __builtin_trap();
    return 0;
  }
  gazette::Issue issue;
  if (!gazette::convert_issue(src, g, &issue, &err)) return 0;  // a regex time limit
  for (auto f : {gazette::Format::Json, gazette::Format::Yaml}) {
    auto files = gazette::render_issue(issue, f);
    for (const auto& file : files) {
      // A name made from a 文号 never leaves the output folder.
      if (file.name.empty() || file.name.find('/') != std::string::npos || file.name[0] == '.')
        __builtin_trap();
    }
  }
  return 0;
}
