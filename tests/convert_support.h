// Shared by the tests that convert small texts written in the test itself.
#pragma once

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

}  // namespace gazette::test
