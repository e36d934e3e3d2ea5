#include "writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>

namespace gazette {

const char* format_extension(Format f) { return f == Format::Json ? "json" : "yaml"; }

std::string render_json(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

namespace {

/// A JSON string literal: the same escapes are a valid YAML 1.2 double-quoted
/// scalar, so every string reads back exactly (no, true, 01 stay strings).
void quoted(std::string& out, const std::string& s) {
  out += Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool is_scalar(const Json& j) { return !j.is_object() && !j.is_array(); }

void scalar(std::string& out, const Json& j) {
  if (j.is_string()) quoted(out, j.get_ref<const std::string&>());
  else if (j.is_null()) out += "null";
  else out += j.dump();
}

/// A short list of scalars, or of such lists ([[67, 168]]), on one line.
bool is_flow(const Json& j) {
  if (!j.is_array() || j.empty() || j.size() > 8) return false;
  for (const auto& x : j)
    if (!is_scalar(x) && !(x.is_array() && x.size() <= 8 && std::all_of(x.begin(), x.end(), is_scalar))) return false;
  return true;
}

void flow(std::string& out, const Json& j) {
  if (is_scalar(j)) { scalar(out, j); return; }
  out += '[';
  bool first = true;
  for (const auto& x : j) {
    if (!first) out += ", ";
    first = false;
    flow(out, x);
  }
  out += ']';
}

void block(std::string& out, const Json& j, int indent);

/// Writes the value of a mapping key (after "key:").
void value(std::string& out, const Json& v, int indent) {
  if (is_scalar(v)) { out += ' '; scalar(out, v); out += '\n'; }
  else if (v.empty()) { out += v.is_array() ? " []\n" : " {}\n"; }
  else if (is_flow(v)) { out += ' '; flow(out, v); out += '\n'; }
  else { out += '\n'; block(out, v, indent + 2); }
}

void block(std::string& out, const Json& j, int indent) {
  std::string pad(static_cast<std::size_t>(indent), ' ');
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      out += pad;
      out += it.key();  // our keys are plain identifiers
      out += ':';
      value(out, it.value(), indent);
    }
    return;
  }
  for (const auto& x : j) {
    out += pad;
    out += "- ";
    if (x.is_object() && !x.empty()) {
      // The first key goes on the dash line, the rest under it.
      bool first = true;
      for (auto it = x.begin(); it != x.end(); ++it) {
        if (!first) out += std::string(static_cast<std::size_t>(indent + 2), ' ');
        first = false;
        out += it.key();
        out += ':';
        value(out, it.value(), indent + 2);
      }
    } else if (is_scalar(x) || x.empty() || is_flow(x)) {
      if (x.is_array() && x.empty()) out += "[]";
      else if (x.is_object()) out += "{}";
      else flow(out, x);
      out += '\n';
    } else {
      out += '\n';
      block(out, x, indent + 2);
    }
  }
}

}  // namespace

std::string render_yaml(const Json& j) {
  std::string out;
  out.reserve(1 << 16);
  if (is_scalar(j) || j.empty()) { flow(out, j); out += '\n'; return out; }
  block(out, j, 0);
  return out;
}

std::string render(const Json& j, Format f) { return f == Format::Json ? render_json(j) : render_yaml(j); }

std::vector<OutputFile> render_issue(const Issue& issue, Format f) {
  std::vector<OutputFile> out;
  std::vector<std::string> names;
  std::set<std::string> taken = {std::string("issue.") + format_extension(f)};
  for (std::size_t i = 0; i < issue.notices.size(); ++i) {
    std::string stem = notice_file_stem(issue.notices[i].docnum, i);
    std::string name = stem + "." + format_extension(f);
    for (int k = 2; taken.count(name); ++k) name = stem + "-" + std::to_string(k) + "." + format_extension(f);
    taken.insert(name);
    names.push_back(name);
    out.push_back({name, render(to_json(issue.notices[i], issue.source_file), f)});
  }
  out.push_back({std::string("issue.") + format_extension(f), render(to_json(issue, names), f)});
  return out;
}

bool write_files(const std::string& dir, const std::vector<OutputFile>& files, Error* err) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    *err = Error{ErrorKind::Output, dir, 0, 0, -1, "cannot create output folder: " + (ec ? ec.message() : std::string("not a folder"))};
    return false;
  }
  std::vector<std::string> temps;
  auto cleanup = [&] {
    for (const auto& t : temps) ::unlink(t.c_str());
  };
  for (const auto& f : files) {
    std::string final_path = (fs::path(dir) / f.name).string();
    std::string tmp = (fs::path(dir) / ("." + f.name + ".tmp-" + std::to_string(::getpid()))).string();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      *err = Error{ErrorKind::Output, final_path, 0, 0, -1, std::string("cannot write: ") + std::strerror(errno)};
      cleanup();
      return false;
    }
    temps.push_back(tmp);
    const char* p = f.content.data();
    std::size_t left = f.content.size();
    while (left > 0) {
      ssize_t w = ::write(fd, p, left);
      if (w < 0) {
        if (errno == EINTR) continue;
        *err = Error{ErrorKind::Output, final_path, 0, 0, -1, std::string("cannot write: ") + std::strerror(errno)};
        ::close(fd);
        cleanup();
        return false;
      }
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    if (::close(fd) != 0) {
      *err = Error{ErrorKind::Output, final_path, 0, 0, -1, std::string("cannot write: ") + std::strerror(errno)};
      cleanup();
      return false;
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string final_path = (fs::path(dir) / files[i].name).string();
    if (::rename(temps[i].c_str(), final_path.c_str()) != 0) {
      *err = Error{ErrorKind::Output, final_path, 0, 0, -1, std::string("cannot rename into place: ") + std::strerror(errno)};
      for (std::size_t k = i; k < temps.size(); ++k) ::unlink(temps[k].c_str());
      return false;
    }
  }
  return true;
}

}  // namespace gazette
