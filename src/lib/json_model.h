// The model as a JSON document tree (the schema of CONTRACT.md), and back.
// JSON and YAML output are two serializations of this one tree, so both carry
// the same data; diff reads folders written earlier through from_json.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model.h"

namespace gazette {

using Json = nlohmann::ordered_json;

inline constexpr const char* kIssueSchema = "gazette.issue/1";
inline constexpr const char* kNoticeSchema = "gazette.notice/1";

Json to_json(const Node& n);
Json to_json(const Notice& n, const std::string& source_file);
/// The issue file; `files[i]` is the file name written for notice i.
Json to_json(const Issue& issue, const std::vector<std::string>& files);

/// Reads back what to_json wrote. Returns false with a message on a shape
/// that is not ours.
bool from_json(const Json& j, Node* n, std::string* err);
bool from_json(const Json& j, Notice* n, std::string* err);

/// A file name for a notice from its 文号 (土左政字〔2023〕73号 → 土左政字-2023-73),
/// with nothing that could leave the output folder: only letters, digits, and
/// - _ survive; everything else becomes _. Never empty.
std::string notice_file_stem(const DocNumber& d, std::size_t index);

}  // namespace gazette
