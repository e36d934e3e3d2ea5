// Shared by the tests that convert small texts written in the test itself.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

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

}  // namespace gazette::test

