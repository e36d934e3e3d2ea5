// The JSON writer's strings: every character that JSON (or a JavaScript
// reader) needs escaped is escaped, everything else is copied as it is, and a
// JSON parser reads the text back to the same string, wherever in a long
// string the special characters stand.
#include <catch2/catch.hpp>

#include <string>

#include "json_model.h"
#include "writer.h"

namespace {

using gazette::Json;

/// The JSON text of {"s": value} and the string a parser reads back from it.
std::pair<std::string, std::string> round_trip(const std::string& value) {
  Json j = Json::object();
  j["s"] = value;
  std::string text = gazette::render_json(j);
  return {text, Json::parse(text)["s"].get<std::string>()};
}

}  // namespace

TEST_CASE("json strings escape what JSON and JavaScript need and keep the rest", "[writer]") {
  struct Case { std::string in, escaped; };
  const Case cases[] = {
      {"\"", "\\\""},
      {"\\", "\\\\"},
      {"\n", "\\n"},
      {"\t", "\\t"},
      {"\r", "\\r"},
      {std::string("\x01", 1), "\\u0001"},
      {"\x1F", "\\u001f"},
      {"\x7F", "\\u007f"},
      {"\xC2\x85", "\\u0085"},            // a C1 control
      {"\xE2\x80\xA8", "\\u2028"},        // line separator
      {"\xE2\x80\xA9", "\\u2029"},        // paragraph separator
      {"\xEF\xBB\xBF", "\\ufeff"},        // a byte order mark
      {"\xEF\xBF\xBE", "\\ufffe"},        // noncharacters: not printable in YAML 1.2
      {"\xEF\xBF\xBF", "\\uffff"},
      {"\xEF\xBF\xBD", "\xEF\xBF\xBD"},    // U+FFFD: kept
      {"\xC2\xA0", "\xC2\xA0"},            // no-break space: kept
      {"\xE2\x80\x94", "\xE2\x80\x94"},    // —: kept
      {"\xEF\xBC\x8C", "\xEF\xBC\x8C"},    // ，: kept
  };
  // Each case alone, and inside a long Chinese text at every offset around
  // the scanner's 16-byte blocks.
  const std::string lead = "关于印发土默特左旗方案的通知";  // 42 bytes
  for (const Case& c : cases) {
    for (std::size_t cut = 0; cut <= 40; cut += 1) {
      std::string before = std::string(cut % 3 == 0 ? "" : "ab").substr(0, cut % 3) + lead.substr(0, cut - cut % 3);
      std::string in = before + c.in + lead;
      INFO("case " << c.escaped << " after " << before.size() << " bytes");
      auto [text, back] = round_trip(in);
      CHECK(back == in);
      CHECK(text.find("\"" + before + c.escaped + lead + "\"") != std::string::npos);
    }
  }
}
