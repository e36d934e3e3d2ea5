// The schema of the output (docs/schema.md), defined once: a walk
// over the model that feeds a TreeSink. The JSON and YAML writers are sinks,
// so both carry the same data; so is the nlohmann tree that from_json reads
// back (diff reads folders written earlier through it).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model.h"

namespace gazette {

using Json = nlohmann::ordered_json;

inline constexpr const char* kIssueSchema = "gazette.issue/1";
inline constexpr const char* kNoticeSchema = "gazette.notice/1";

/// Receives a document tree in order: objects, arrays, keys and scalars.
/// `flow` marks an array of scalars (or of short scalar arrays) that a text
/// writer may put on one line.
class TreeSink {
 public:
  virtual ~TreeSink() = default;
  virtual void begin_object() = 0;
  virtual void end_object() = 0;
  virtual void begin_array(bool flow) = 0;
  virtual void end_array() = 0;
  virtual void key(std::string_view k) = 0;
  virtual void string(std::string_view s) = 0;
  virtual void integer(long long v) = 0;
  virtual void real(double v) = 0;
  virtual void boolean(bool v) = 0;
  virtual void null() = 0;
};

void write_tree(const Node& n, TreeSink& w);
void write_tree(const Notice& n, const std::string& source_file, TreeSink& w);
/// The issue file; `files[i]` is the file name written for notice i.
void write_tree(const Issue& issue, const std::vector<std::string>& files, TreeSink& w);
/// Any JSON value (diff's and validate's output go through the same writers).
void write_tree(const Json& j, TreeSink& w);

Json to_json(const Node& n);
Json to_json(const Notice& n, const std::string& source_file);
/// The issue file; `files[i]` is the file name written for notice i.
Json to_json(const Issue& issue, const std::vector<std::string>& files);

/// `j` on one line, compactly, with any invalid UTF-8 replaced (a row of
/// notices.jsonl, a line of JSON Lines, the data a page embeds).
std::string compact_json(const Json& j);

/// Reads back what to_json wrote. Returns false with a message on a shape
/// that is not ours.
bool from_json(const Json& j, Node* n, std::string* err);
bool from_json(const Json& j, Notice* n, std::string* err);

/// A file name for a notice from its 文号 (土左政字〔2023〕73号 → 土左政字-2023-73),
/// with nothing that could leave the output folder: only letters, digits, and
/// - _ survive; everything else becomes _. Never empty. Made of the parts,
/// NFKC-folded, so every printed form of one 文号 (土左政字[2023]073号,
/// 土左政字 （２０２３） 73 号) gets the name of its canonical form.
std::string notice_file_stem(const DocNumber& d, std::size_t index);

}  // namespace gazette
