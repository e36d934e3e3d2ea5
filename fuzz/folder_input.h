// The folder a folder_fuzzer input stands for: the input is cut at lines
// "=====" into files; the first is issue.json (issue.yaml when it does not
// start with '{'), the others n1.json, n2.json, … (or .yaml), the names the
// seeds' issue files list. Shared by the fuzzer and the test that replays its
// seeds and regressions.
#pragma once

#include <cstddef>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::fuzz {

inline constexpr std::string_view kFileSeparator = "\n=====\n";

/// Writes the files of `input` into `dir` (which exists and is empty).
inline void write_folder(std::string_view input, const std::string& dir) {
  std::vector<std::string_view> parts;
  for (std::size_t at = 0;;) {
    std::size_t cut = input.find(kFileSeparator, at);
    parts.push_back(input.substr(at, cut == std::string_view::npos ? std::string_view::npos : cut - at));
    if (cut == std::string_view::npos) break;
    at = cut + kFileSeparator.size();
  }
  std::size_t lead = parts[0].find_first_not_of(" \t\r\n");
  const std::string ext = lead != std::string_view::npos && parts[0][lead] == '{' ? ".json" : ".yaml";
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::ofstream f(dir + "/" + (k == 0 ? std::string("issue") : "n" + std::to_string(k)) + ext, std::ios::binary);
    f.write(parts[k].data(), static_cast<std::streamsize>(parts[k].size()));
  }
}

}  // namespace gazette::fuzz
