#include "issue_folder.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "source.h"

namespace gazette {
namespace {

namespace fs = std::filesystem;

bool is_integer(const std::string& s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

Json scalar_json(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() != "?") return s;  // quoted ("!") or explicitly tagged: a string
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (is_integer(s)) {
    try {
      return std::stoll(s);
    } catch (const std::exception&) {
      return s;
    }
  }
  return s;
}

/// Parses a .json or .yaml file into the JSON tree.
bool load_tree(const fs::path& p, Json* out, Error* err) {
  err->kind = ErrorKind::Input;
  err->file = p.string();
  std::string text, why;
  if (!read_file_bounded(p.string(), kMaxInputBytes, &text, &why)) {
    err->message = why;
    return false;
  }
  // convert writes UTF-8 only; other bytes would travel on into diff's output.
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    err->message = "not valid UTF-8 at byte offset " + std::to_string(bad) + ": not a file convert wrote";
    return false;
  }
  const bool yaml = p.extension() != ".json";
  if (nesting_depth(text, yaml) > kMaxNesting) {
    err->message = "nested more than " + std::to_string(kMaxNesting) + " levels deep: not a file convert wrote";
    return false;
  }
  if (p.extension() == ".json") {
    *out = Json::parse(text, nullptr, false);
    if (out->is_discarded()) {
      err->message = "not valid JSON";
      return false;
    }
    return true;
  }
  try {
    *out = yaml_to_json(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    err->line = e.mark.is_null() ? 0 : e.mark.line + 1;  // Mark is 0-based
    err->message = std::string("not valid YAML: ") + e.msg;
    return false;
  }
  return true;
}

std::optional<int> opt_int(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool nodes(const Json& j, const char* key, std::vector<Node>* out, std::string* msg) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return true;
  for (const auto& x : *it) {
    Node n;
    if (!from_json(x, &n, msg)) return false;
    out->push_back(std::move(n));
  }
  return true;
}

}  // namespace

Json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json j = Json::object();
      for (const auto& kv : node) j[kv.first.Scalar()] = yaml_to_json(kv.second);
      return j;
    }
    case YAML::NodeType::Sequence: {
      Json j = Json::array();
      for (const auto& x : node) j.push_back(yaml_to_json(x));
      return j;
    }
    case YAML::NodeType::Scalar: return scalar_json(node);
    default: return nullptr;
  }
}

namespace {
bool read_folder(const std::string& dir, Issue* out, Error* err);
}  // namespace

bool read_issue_folder(const std::string& dir, Issue* out, Error* err) {
  // The readers check each value's type; this catches what they miss, so a
  // hostile file is an input error, never an abort.
  try {
    return read_folder(dir, out, err);
  } catch (const std::exception& e) {
    *err = Error{ErrorKind::Input, dir, 0, 0, -1, std::string("unexpected content: ") + e.what()};
    return false;
  }
}

namespace {

bool read_folder(const std::string& dir, Issue* out, Error* err) {
  fs::path base(dir);
  fs::path issue_file;
  for (const char* name : {"issue.json", "issue.yaml", "issue.yml"})
    if (fs::exists(base / name)) {
      issue_file = base / name;
      break;
    }
  if (issue_file.empty()) {
    *err = Error{ErrorKind::Input, dir, 0, 0, -1, "no issue.json or issue.yaml: not a folder written by convert"};
    return false;
  }
  Json j;
  if (!load_tree(issue_file, &j, err)) return false;
  if (!j.is_object() || str(j, "schema") != kIssueSchema) {
    err->message = std::string("not an issue file (schema is not ") + kIssueSchema + ")";
    return false;
  }
  out->source_file = dir;
  if (j.contains("source") && j["source"].is_object()) out->encoding = str(j["source"], "encoding");
  out->publication = str(j, "publication");
  out->year = opt_int(j, "year");
  out->number = opt_int(j, "number");
  out->cumulative_number = opt_int(j, "cumulative_number");
  if (j.contains("toc") && j["toc"].is_array())
    for (const auto& t : j["toc"]) {
      TocEntry e;
      e.page = opt_int(t, "page");
      e.section = str(t, "section");
      e.title = str(t, "title");
      out->toc.push_back(e);
    }
  std::string msg;
  if (!nodes(j, "front_matter", &out->front_matter, &msg) || !nodes(j, "back_matter", &out->back_matter, &msg) ||
      !nodes(j, "unassigned", &out->unassigned, &msg)) {
    err->message = msg;
    return false;
  }
  if (!j.contains("notices") || !j["notices"].is_array()) {
    err->message = "the issue file lists no notices";
    return false;
  }
  for (const auto& entry : j["notices"]) {
    std::string file = str(entry, "file");
    // Only a plain name inside the folder: the file list is input too.
    if (file.empty() || fs::path(file).filename().string() != file) {
      err->message = "a notice entry names no file inside the folder: '" + file + "'";
      return false;
    }
    Json nj;
    if (!load_tree(base / file, &nj, err)) return false;
    Notice n;
    if (!from_json(nj, &n, &msg)) {
      *err = Error{ErrorKind::Input, (base / file).string(), 0, 0, -1, msg};
      return false;
    }
    out->notices.push_back(std::move(n));
  }
  return true;
}

}  // namespace
}  // namespace gazette
