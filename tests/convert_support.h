// Shared by the tests that convert texts: small ones written in the test
// itself, and the real issue of the shared folder.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "convert.h"
#include "grammar.h"
#include "source.h"

namespace gazette::test {

/// Decodes and converts `text` with the rules `g`; fails the test when either
/// step does.
inline Issue convert_with(const std::string& text, const Grammar& g, const std::string& name = "inline.txt") {
  SourceText src;
  Error err;
  REQUIRE(decode_source(text, name, DecodeOptions{}, &src, &err));
  Issue issue;
  INFO(format_error(err));
  REQUIRE(convert_issue(src, g, &issue, &err));
  return issue;
}

/// The rule files convert uses by default (base.yaml, then every overlay), loaded once.
inline const Grammar& default_grammar() {
  static const Grammar g = [] {
    Grammar x;
    Error err;
    REQUIRE(load_grammar(default_grammar_files(), &x, &err));
    return x;
  }();
  return g;
}

/// A file's bytes; "" when it cannot be read.
inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The real 土默特左旗 issue of the shared folder next to the checkout.
inline const char* const kSharedIssue = GAZETTE_SOURCE_DIR "/../shared/corpus/tumote-zuoqi-2023-02.txt";

struct SharedIssue {
  std::string text;
  std::vector<std::string> lines;  ///< the text's lines, without their line ends
  Issue issue;                     ///< converted with the default rules, named by its path
};

/// The shared issue, converted once; null when the shared folder is absent.
inline const SharedIssue* shared_issue() {
  static std::unique_ptr<SharedIssue> s = []() -> std::unique_ptr<SharedIssue> {
    std::string text = read_bytes(kSharedIssue);
    if (text.empty()) return nullptr;
    auto x = std::make_unique<SharedIssue>();
    x->text = text;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) x->lines.push_back(line);
    x->issue = convert_with(text, default_grammar(), kSharedIssue);
    return x;
  }();
  return s.get();
}

}  // namespace gazette::test

/// Declares `var`, the shared issue, or ends the test with a warning when the
/// shared folder is absent.
#define REQUIRE_SHARED_ISSUE(var)                                                            \
  const gazette::test::SharedIssue* var = gazette::test::shared_issue();                     \
  if (!var) {                                                                                \
    WARN("skipped: the shared issue is absent (" << gazette::test::kSharedIssue << ")");     \
    return;                                                                                  \
  }
