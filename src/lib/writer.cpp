#include "writer.h"

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>

namespace gazette {

const char* format_extension(Format f) { return f == Format::Json ? "json" : "yaml"; }

std::string render_json(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

namespace {

/// A double-quoted scalar with JSON escapes: valid JSON and valid YAML 1.2,
/// so every string reads back exactly (no, true, 01 stay strings). Besides
/// what JSON escapes, YAML wants C1 controls, U+2028, U+2029 and U+FEFF
/// escaped; everything else is written as the UTF-8 it is.
void quoted(std::string& out, const std::string& s) {
  static const char* hex = "0123456789abcdef";
  auto escape = [&](unsigned v) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(v >> shift) & 15];
  };
  out += '"';
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\t': out += "\\t"; continue;
      case '\r': out += "\\r"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) { escape(c); continue; }
    if (c == 0xC2 && i + 1 < n) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      if (d >= 0x80 && d <= 0x9F) { escape(d); ++i; continue; }
    }
    if ((c == 0xE2 || c == 0xEF) && i + 2 < n) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]), e = static_cast<unsigned char>(s[i + 2]);
      if (c == 0xE2 && d == 0x80 && (e == 0xA8 || e == 0xA9)) { escape(e == 0xA8 ? 0x2028 : 0x2029); i += 2; continue; }
      if (c == 0xEF && d == 0xBB && e == 0xBF) { escape(0xFEFF); i += 2; continue; }
    }
    out += static_cast<char>(c);
  }
  out += '"';
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

namespace {

/// Temporary files are hidden, named after the writing process, and never
/// derived from the final name (which may be long): `.gazette-tmp-PID-N`.
constexpr const char* kTempPrefix = ".gazette-tmp-";

/// A name convert may write: one path component, not "." or "..", no
/// control characters. The names come from notice_file_stem, which already
/// guarantees this; checking again here keeps a bug there from writing
/// outside the folder.
bool safe_file_name(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.size() > 255) return false;
  for (unsigned char c : name)
    if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F) return false;
  return true;
}

/// Removes temporary files that an earlier, interrupted run left in `dir`
/// (their process no longer exists).
void remove_stale_temps(const std::filesystem::path& dir) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (n.rfind(kTempPrefix, 0) != 0) continue;
    long pid = std::strtol(n.c_str() + std::strlen(kTempPrefix), nullptr, 10);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) ::unlink(it->path().c_str());
  }
}

bool write_all(int fd, const std::string& content) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t w = ::write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  return true;
}

/// Flushes the temporary files to disk: one syncfs where the system has it,
/// else an fsync per file.
bool sync_temps(const std::filesystem::path& folder, const std::vector<std::string>& temps) {
#ifdef __linux__
  int dfd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    int rc = ::syncfs(dfd);
    ::close(dfd);
    if (rc == 0) return true;
  }
#else
  (void)folder;
#endif
  for (const auto& t : temps) {
    int fd = ::open(t.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    int rc = ::fsync(fd);
    int e = errno;
    ::close(fd);
    if (rc != 0) {
      errno = e;
      return false;
    }
  }
  return true;
}

}  // namespace

bool write_files(const std::string& dir, const std::vector<OutputFile>& files, Error* err) {
  namespace fs = std::filesystem;
  auto fail = [&](const std::string& file, const std::string& msg) {
    *err = Error{ErrorKind::Output, file, 0, 0, -1, msg};
    return false;
  };
  for (const auto& f : files)
    if (!safe_file_name(f.name)) return fail(dir, "refusing to write an unsafe file name '" + f.name + "'");

  // The folder: created if missing, and removed again if this run fails
  // before anything was put into it.
  std::error_code ec;
  const fs::path folder = dir.empty() ? fs::path(".") : fs::path(dir);
  bool created = false;
  if (!fs::exists(folder, ec)) {
    created = fs::create_directories(folder, ec);
    if (ec) return fail(dir, "cannot create output folder: " + ec.message());
  }
  if (!fs::is_directory(folder, ec)) return fail(dir, "cannot write: the output path is not a folder");
  auto remove_created = [&] {
    std::error_code ignore;
    if (created) fs::remove(folder, ignore);  // only removes it when empty
  };
  remove_stale_temps(folder);

  // A final name taken by a folder (or anything but a file or a link) would
  // make its rename fail half-way through: refuse before writing anything.
  for (const auto& f : files) {
    fs::path final_path = folder / f.name;
    fs::file_status st = fs::symlink_status(final_path, ec);
    if (!ec && fs::exists(st) && !fs::is_regular_file(st) && !fs::is_symlink(st)) {
      remove_created();
      return fail(final_path.string(), "cannot write: a folder or special file of that name is in the way");
    }
  }

  std::vector<std::string> temps;
  auto cleanup = [&] {
    for (const auto& t : temps) ::unlink(t.c_str());
    remove_created();
  };
  static unsigned counter = 0;
  for (const auto& f : files) {
    std::string final_path = (folder / f.name).string();
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
      tmp = (folder / (kTempPrefix + std::to_string(::getpid()) + "-" + std::to_string(counter++))).string();
      fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
      std::string why = std::strerror(errno);
      cleanup();
      return fail(final_path, "cannot write: " + why);
    }
    temps.push_back(tmp);
    bool ok = write_all(fd, f.content);
    std::string why = ok ? "" : std::strerror(errno);
    if (::close(fd) != 0 && ok) {
      ok = false;
      why = std::strerror(errno);
    }
    if (!ok) {
      cleanup();
      return fail(final_path, "cannot write: " + why);
    }
  }
  // Flush the data before any rename, so that after a crash a final name
  // holds the whole new content, never an empty or truncated file. One
  // syncfs for the folder's file system costs what one fsync does; an fsync
  // per file costs milliseconds each (minutes for 100,000 notices).
  if (!sync_temps(folder, temps)) {
    std::string why = std::strerror(errno);
    cleanup();
    return fail(dir, "cannot write: flushing to disk failed: " + why);
  }
  // Every file is complete: now put them in place, the issue file last.
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string final_path = (folder / files[i].name).string();
    if (::rename(temps[i].c_str(), final_path.c_str()) != 0) {
      std::string why = std::strerror(errno);
      for (std::size_t k = i; k < temps.size(); ++k) ::unlink(temps[k].c_str());
      return fail(final_path, "cannot rename into place: " + why);
    }
  }
  // Make the renames themselves durable.
  int dfd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

}  // namespace gazette
