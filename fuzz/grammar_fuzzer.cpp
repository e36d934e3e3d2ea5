// libFuzzer target: arbitrary bytes as a rule file. Loading must end in a
// Grammar or an Error (never a crash, a hang or a leak), and a loaded grammar's
// examples must run to a result. The base rules are loaded first, as an overlay
// is in a real run, so that a fuzzed overlay reaches the merging code too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include <unistd.h>

#include "grammar.h"
#include "rule_examples.h"

namespace {

std::string temp_rule_file() {
  // One file per process, rewritten for every input.
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    std::string p = std::string(dir && *dir ? dir : "/tmp") + "/gazette-grammar-fuzz-" + std::to_string(::getpid()) + ".yaml";
    return p;
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // rule files are small; keep runs fast
  const std::string path = temp_rule_file();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);

  static const std::string base = std::string(GAZETTE_SOURCE_DIR) + "/grammars/base.yaml";
  gazette::Grammar g;
  gazette::Error err;
  // Alone (it must then carry docnum rules itself) and as an overlay on base.
  for (const auto& files : {std::vector<std::string>{path}, std::vector<std::string>{base, path}}) {
    if (gazette::load_grammar(files, &g, &err)) {
      int run = 0;
      (void)gazette::check_examples(g, &run);
    } else if (err.message.empty()) {
      __builtin_trap();  // an error must say what is wrong
    }
  }
  return 0;
}
