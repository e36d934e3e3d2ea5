#include "writer.h"

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <array>

namespace gazette {

const char* format_extension(Format f) { return f == Format::Json ? "json" : "yaml"; }

namespace {

/// A double-quoted scalar with JSON escapes: valid JSON and valid YAML 1.2,
/// so every string reads back exactly (no, true, 01 stay strings). Besides
/// what JSON escapes, YAML wants C1 controls, U+2028, U+2029, U+FEFF and the
/// noncharacters U+FFFE and U+FFFF (outside YAML's printable set) escaped;
/// everything else is written as the UTF-8 it is.
void quoted(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  auto escape = [&](unsigned v) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(v >> shift) & 15];
  };
  out += '"';
  const std::size_t n = s.size();
  std::size_t run = 0;  // start of the bytes not yet copied
  auto flush = [&](std::size_t upto) {
    out.append(s, run, upto - run);
  };
  // Bytes that may need escaping; all others are copied as they are, in runs.
  static const auto special = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
    for (unsigned char c : {'"', '\\', '\x7F', '\xC2', '\xE2', '\xEF'}) t[c] = true;
    return t;
  }();
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char c = b[i];
    if (!special[c]) continue;
    const char* simple = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : nullptr;
    if (simple) { flush(i); out += simple; run = i + 1; continue; }
    if (c < 0x20 || c == 0x7F) { flush(i); escape(c); run = i + 1; continue; }
    if (c == 0xC2 && i + 1 < n) {
      unsigned char d = b[i + 1];
      if (d >= 0x80 && d <= 0x9F) { flush(i); escape(d); run = i + 2; ++i; }
      continue;
    }
    if (i + 2 < n) {
      unsigned char d = b[i + 1], e = b[i + 2];
      if (c == 0xE2 && d == 0x80 && (e == 0xA8 || e == 0xA9)) { flush(i); escape(e == 0xA8 ? 0x2028 : 0x2029); run = i + 3; i += 2; }
      else if (c == 0xEF && d == 0xBB && e == 0xBF) { flush(i); escape(0xFEFF); run = i + 3; i += 2; }
      else if (c == 0xEF && d == 0xBF && (e == 0xBE || e == 0xBF)) { flush(i); escape(e == 0xBE ? 0xFFFE : 0xFFFF); run = i + 3; i += 2; }
    }
  }
  flush(n);
  out += '"';
}

void scalar_text(std::string& out, long long v) {
  char digits[24];
  auto r = std::to_chars(digits, digits + sizeof digits, v);
  out.append(digits, static_cast<std::size_t>(r.ptr - digits));
}

void real_text(std::string& out, double v) {
  Json j(v);
  out += j.dump();
}

void pad(std::string& out, int n) { out.append(static_cast<std::size_t>(n), ' '); }

/// A line break and `n` spaces, in one append.
void newline_pad(std::string& out, int n) {
  static const std::string kBreak = "\n" + std::string(256, ' ');
  if (n <= 256) {
    out.append(kBreak, 0, static_cast<std::size_t>(n) + 1);
  } else {
    out += '\n';
    pad(out, n);
  }
}

/// A key of lower-case letters, digits and underscores: quoted as it is.
bool plain_key(std::string_view k) {
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

/// JSON text: two-space indent; arrays marked flow on one line. Compact:
/// the whole tree on one line, without spaces (JSON Lines).
class JsonText : public TreeSink {
 public:
  explicit JsonText(std::string& out, bool compact = false) : out_(out), compact_(compact) {}
  void begin_object() override { prefix(); out_ += '{'; st_.push_back({false, false, 0}); }
  void end_object() override { close('}'); }
  void begin_array(bool flow) override {
    prefix();
    out_ += '[';
    st_.push_back({true, flow || (!st_.empty() && st_.back().flow), 0});
  }
  void end_array() override { close(']'); }
  void key(std::string_view k) override {
    Frame& f = st_.back();
    const std::size_t indent = 2 * st_.size();
    char line[256];  // the schema's keys: ",\n", the indent, "key": in one append
    if (compact_) {
      if (f.count++ > 0) out_ += ',';
      quoted(out_, k);
      out_ += ':';
    } else if (indent + k.size() + 6 <= sizeof line && plain_key(k)) {
      std::size_t n = 0;
      if (f.count++ > 0) line[n++] = ',';
      line[n++] = '\n';
      std::memset(line + n, ' ', indent);
      n += indent;
      line[n++] = '"';
      std::memcpy(line + n, k.data(), k.size());
      n += k.size();
      std::memcpy(line + n, "\": ", 3);
      out_.append(line, n + 3);
    } else {
      if (f.count++ > 0) out_ += ',';
      newline_pad(out_, static_cast<int>(indent));
      quoted(out_, k);
      out_ += ": ";
    }
    after_key_ = true;
  }
  void string(std::string_view s) override { prefix(); quoted(out_, s); }
  void integer(long long v) override { prefix(); scalar_text(out_, v); }
  void real(double v) override { prefix(); real_text(out_, v); }
  void boolean(bool v) override { prefix(); out_ += v ? "true" : "false"; }
  void null() override { prefix(); out_ += "null"; }

 private:
  struct Frame { bool array, flow; int count; };
  void prefix() {
    if (after_key_) { after_key_ = false; return; }
    if (st_.empty()) return;
    Frame& f = st_.back();
    if (f.count++ > 0) out_ += f.flow && !compact_ ? ", " : ",";
    if (!f.flow && !compact_) newline_pad(out_, 2 * static_cast<int>(st_.size()));
  }
  void close(char c) {
    Frame f = st_.back();
    st_.pop_back();
    if (f.count > 0 && !f.flow && !compact_) newline_pad(out_, 2 * static_cast<int>(st_.size()));
    out_ += c;
  }
  std::string& out_;
  bool compact_;
  std::vector<Frame> st_;
  bool after_key_ = false;
};

/// YAML text, block style; arrays marked flow as [a, b] on one line. An
/// object in a list puts its first key on the dash line.
class YamlText : public TreeSink {
 public:
  explicit YamlText(std::string& out) : out_(out) {}
  void begin_object() override { open(false, false); }
  void end_object() override { close(); }
  void begin_array(bool flow) override { open(true, flow); }
  void end_array() override { close(); }
  void key(std::string_view k) override {
    Frame& f = st_.back();
    flush_open(f);
    if (!(f.inline_first && f.count == 0)) pad(out_, f.indent);
    ++f.count;
    out_ += k;
    out_ += ':';
  }
  void string(std::string_view s) override { value_prefix(); quoted(out_, s); value_suffix(); }
  void integer(long long v) override { value_prefix(); scalar_text(out_, v); value_suffix(); }
  void real(double v) override { value_prefix(); real_text(out_, v); value_suffix(); }
  void boolean(bool v) override { value_prefix(); out_ += v ? "true" : "false"; value_suffix(); }
  void null() override { value_prefix(); out_ += "null"; value_suffix(); }

 private:
  struct Frame {
    bool array = false, flow = false;
    int count = 0;
    int indent = 0;             ///< where keys or dashes of this container stand
    bool pending_open = false;  ///< "key:" written, its line not ended (empty → {} or [])
    bool inline_first = false;  ///< an object in a list: its first key is on the dash line
  };
  bool in_flow() const { return !st_.empty() && st_.back().flow; }
  void flush_open(Frame& f) {
    if (f.pending_open) { out_ += '\n'; f.pending_open = false; }
  }
  /// Before a scalar or a flow array.
  void value_prefix() {
    if (st_.empty()) return;
    Frame& f = st_.back();
    if (f.flow) {
      if (f.count++ > 0) out_ += ", ";
    } else if (f.array) {
      flush_open(f);
      pad(out_, f.indent);
      out_ += "- ";
      ++f.count;
    } else {
      out_ += ' ';  // after "key:"
    }
  }
  void value_suffix() {
    if (!in_flow()) out_ += '\n';
  }
  void open(bool array, bool flow) {
    Frame f;
    f.array = array;
    if (st_.empty()) {
      st_.push_back(f);
      if (flow) { st_.back().flow = true; out_ += '['; }
      return;
    }
    Frame& parent = st_.back();
    if (parent.flow || flow) {
      value_prefix();
      out_ += array ? '[' : '{';
      f.flow = true;
      st_.push_back(f);
      return;
    }
    if (parent.array) {
      flush_open(parent);
      pad(out_, parent.indent);
      ++parent.count;
      if (array) {
        out_ += '-';
        f.pending_open = true;
      } else {
        out_ += "- ";
        f.inline_first = true;
      }
      f.indent = parent.indent + 2;
    } else {
      f.pending_open = true;  // after "key:"
      f.indent = parent.indent + 2;
    }
    st_.push_back(f);
  }
  void close() {
    Frame f = st_.back();
    st_.pop_back();
    if (f.flow) {
      out_ += f.array ? ']' : '}';
      if (!in_flow()) out_ += '\n';
      return;
    }
    if (f.count == 0) {
      if (f.pending_open) out_ += f.array ? " []\n" : " {}\n";
      else if (f.inline_first) out_ += "{}\n";
      else out_ += f.array ? "[]\n" : "{}\n";
    }
  }
  std::string& out_;
  std::vector<Frame> st_;
};

}  // namespace

std::string render_json(const Json& j) {
  std::string out;
  JsonText w(out);
  write_tree(j, w);
  out += '\n';
  return out;
}

std::string render_yaml(const Json& j) {
  std::string out;
  YamlText w(out);
  write_tree(j, w);
  return out;
}

std::string render(const Json& j, Format f) { return f == Format::Json ? render_json(j) : render_yaml(j); }

IssueFiles::IssueFiles(const Issue& issue, Format f) : issue_(issue), format_(f) {
  const std::string issue_file = std::string("issue.") + format_extension(f);
  std::set<std::string> taken = {issue_file, kReadTextFile};
  // The next suffix to try for each stem: notices sharing a 文号 are numbered
  // -2, -3, … in one pass, not by trying every suffix again for each.
  std::map<std::string, int> next_suffix;
  for (std::size_t i = 0; i < issue.notices.size(); ++i) {
    std::string stem = notice_file_stem(issue.notices[i].docnum, i);
    std::string name = stem + "." + format_extension(f);
    if (taken.count(name)) {
      int& k = next_suffix.try_emplace(stem, 2).first->second;
      do name = stem + "-" + std::to_string(k++) + "." + format_extension(f);
      while (taken.count(name));
    }
    taken.insert(name);
    names_.push_back(name);
  }
  if (!issue.read_text.empty()) names_.push_back(kReadTextFile);
  names_.push_back(issue_file);
}

void IssueFiles::render(std::size_t i, std::string* out) const {
  out->clear();
  auto render_with = [&](auto&& write) {
    if (format_ == Format::Json) {
      JsonText w(*out);
      write(w);
      *out += '\n';
    } else {
      YamlText w(*out);
      write(w);
    }
  };
  if (i < issue_.notices.size()) {
    render_with([&](TreeSink& w) { write_tree(issue_.notices[i], issue_.source_file, w); });
  } else if (i + 1 < names_.size()) {
    *out = issue_.read_text;
  } else {
    // The issue file lists the notice files by name.
    const std::vector<std::string> notice_names(
        names_.begin(), names_.begin() + static_cast<std::ptrdiff_t>(issue_.notices.size()));
    render_with([&](TreeSink& w) { write_tree(issue_, notice_names, w); });
  }
}

std::string render_issue_lines(const Issue& issue) {
  const IssueFiles files(issue, Format::Json);
  const std::vector<std::string> notice_names(
      files.names().begin(), files.names().begin() + static_cast<std::ptrdiff_t>(issue.notices.size()));
  std::string out;
  JsonText issue_line(out, true);
  write_tree(issue, notice_names, issue_line);
  out += '\n';
  for (const Notice& n : issue.notices) {
    JsonText w(out, true);
    write_tree(n, issue.source_file, w);
    out += '\n';
  }
  return out;
}

std::vector<OutputFile> render_issue(const Issue& issue, Format f) {
  IssueFiles files(issue, f);
  std::vector<OutputFile> out;
  for (std::size_t i = 0; i < files.names().size(); ++i) {
    out.push_back({files.names()[i], {}});
    files.render(i, &out.back().content);
  }
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
/// Whether process `pid` still runs: it exists and is not a zombie (a
/// process killed a moment ago that its parent has not reaped yet).
bool process_alive(long pid) {
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (!f) return true;
  char buf[512];
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const char* close = std::strrchr(buf, ')');  // the state follows the command name in parentheses
  return !(close && close[1] == ' ' && close[2] == 'Z');
}

void remove_stale_temps(const std::filesystem::path& dir) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (n.rfind(kTempPrefix, 0) != 0) continue;
    long pid = std::strtol(n.c_str() + std::strlen(kTempPrefix), nullptr, 10);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (!process_alive(pid)) {
      std::error_code ignore;
      std::filesystem::remove_all(it->path(), ignore);  // a file, or a whole new folder never put in place
    }
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

/// Writes `content` to the open file `fd` and closes it. False with the
/// reason in `why` when a write or the close fails.
bool write_and_close(int fd, const std::string& content, std::string* why) {
  bool ok = write_all(fd, content);
  if (!ok) *why = std::strerror(errno);
  if (::close(fd) != 0 && ok) {
    ok = false;
    *why = std::strerror(errno);
  }
  return ok;
}

/// Makes the renames in `dir` durable: an fsync of the folder.
void sync_folder(const std::filesystem::path& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return;
  ::fsync(dfd);
  ::close(dfd);
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

void remove_stale_temporaries(const std::string& dir) { remove_stale_temps(std::filesystem::path(dir)); }

bool sync_filesystem(const std::string& dir, Error* err) {
  if (sync_temps(std::filesystem::path(dir), {})) return true;
  *err = Error{ErrorKind::Output, dir, 0, 0, -1, std::string("cannot flush to disk: ") + std::strerror(errno)};
  return false;
}

namespace {

/// The stem of this process's temporary names: `.gazette-tmp-PID-`.
const std::string& temp_stem() {
  static const std::string stem = kTempPrefix + std::to_string(::getpid()) + "-";
  return stem;
}
std::atomic<unsigned> temp_counter{0};

/// Makes a new temporary entry in `dir` under a fresh hidden name: `make`
/// creates it (an open or a mkdir that fails with EEXIST when the name is
/// taken). Its path, or "" with errno telling why.
template <class Make>
std::string make_temporary(const std::filesystem::path& dir, Make make) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string path = (dir / (temp_stem() + std::to_string(temp_counter++))).string();
    if (make(path)) return path;
    if (errno != EEXIST) break;
  }
  return "";
}

/// The files to write: their names, and each one's text on demand (a text
/// is used before the next one is asked for).
struct FileList {
  const std::vector<std::string>& names;
  std::function<const std::string&(std::size_t)> text;
};

/// Fills `err` with an output error on `file`; false, for `return`.
bool output_error(Error* err, const std::string& file, const std::string& msg) {
  *err = Error{ErrorKind::Output, file, 0, 0, -1, msg};
  return false;
}

/// write_files into a folder that does not exist yet: every file is written
/// under its own name into a new hidden folder beside it, which is renamed
/// into place at the end. A reader sees no folder or the whole one; one
/// rename serves all the files.
/// Writes the files into a new hidden folder beside `folder` and puts it in
/// place with one rename: `folder` must not exist, or, with `exchange`, is
/// swapped with the new one in one step (renameat2 RENAME_EXCHANGE) and then
/// removed from its temporary name. Either way a reader, or a run killed at
/// any point, sees the old folder whole or the new one whole.
bool write_new_folder(const std::string& dir, std::filesystem::path folder, const FileList& files, Error* err,
                      const WriteOptions& opts, bool exchange = false, bool* exchange_unsupported = nullptr) {
  namespace fs = std::filesystem;
  auto fail = [&](const std::string& file, const std::string& msg) { return output_error(err, file, msg); };
  std::error_code ec;
  // out/new/ and out/new/. name the folder out/new, beside which the new
  // one is written.
  folder = folder.lexically_normal();
  if (!folder.has_filename()) folder = folder.parent_path();
  fs::path parent = folder.parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) return fail(dir, "cannot create output folder: " + ec.message());
  }
  if (opts.clean_parent) remove_stale_temps(parent);
  const std::string tmp =
      make_temporary(parent, [](const std::string& path) { return ::mkdir(path.c_str(), 0777) == 0; });
  if (tmp.empty()) return fail(dir, std::string("cannot create output folder: ") + std::strerror(errno));
  auto cleanup = [&] {
    std::error_code ignore;
    fs::remove_all(tmp, ignore);
  };
  std::vector<std::string> written;  // for a system without syncfs, which flushes file by file
  try {  // rendering a file may run out of memory: no half-written folder stays
    for (std::size_t i = 0; i < files.names.size(); ++i) {
      written.push_back(tmp + "/" + files.names[i]);
      int fd = ::open(written.back().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      std::string why = fd < 0 ? std::strerror(errno) : "";
      if (fd < 0 || !write_and_close(fd, files.text(i), &why)) {
        cleanup();
        return fail((folder / files.names[i]).string(), "cannot write: " + why);
      }
    }
  } catch (...) {
    cleanup();
    throw;
  }
  if (opts.sync && !sync_temps(tmp, written)) {
    std::string why = std::strerror(errno);
    cleanup();
    return fail(dir, "cannot write: flushing to disk failed: " + why);
  }
  const int moved = exchange ? ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, folder.c_str(), RENAME_EXCHANGE)
                            : ::rename(tmp.c_str(), folder.c_str());
  if (moved != 0) {
    const int e = errno;
    std::string why = std::strerror(e);
    cleanup();
    if (exchange && exchange_unsupported && (e == EINVAL || e == ENOSYS || e == EOPNOTSUPP)) {
      *exchange_unsupported = true;  // a file system that cannot swap: the caller writes file by file
      return false;
    }
    return fail(dir, "cannot rename into place: " + why);
  }
  if (opts.sync) sync_folder(parent);
  if (exchange) cleanup();  // the old folder, now under the temporary name
  return true;
}

/// Whether an existing folder may be replaced whole: it holds nothing but
/// what convert writes (an issue file, notice files, source.txt) and what an
/// interrupted run left. A folder with anything else in it (the current
/// folder, a folder of the user's) gets each file in place instead.
bool replaceable_output_folder(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  const fs::path norm = folder.lexically_normal();
  if (!norm.has_filename() || norm.filename() == "." || norm.filename() == "..") return false;
  std::error_code ec;
  bool has_issue_file = false, empty = true;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    empty = false;
    const std::string n = it->path().filename().string();
    if (n.rfind(kTempPrefix, 0) == 0) continue;
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) return false;
    if (n.rfind(".gazette-", 0) == 0) continue;  // batch's stamp
    const std::string ext = it->path().extension().string();
    if (n == "issue.yaml" || n == "issue.json" || n == "issue.yml") has_issue_file = true;
    else if (ext != ".yaml" && ext != ".json" && ext != ".yml" && n != kReadTextFile) return false;
  }
  return !ec && (empty || has_issue_file);
}

/// write_files: a new folder whole, or each file of an existing one through
/// a temporary name.
bool write_file_list(const std::string& dir, const FileList& files, Error* err, const WriteOptions& opts) {
  namespace fs = std::filesystem;
  auto fail = [&](const std::string& file, const std::string& msg) { return output_error(err, file, msg); };
  for (const auto& name : files.names)
    if (!safe_file_name(name)) return fail(dir, "refusing to write an unsafe file name '" + name + "'");

  // A new folder is written whole beside its place and renamed into it; an
  // existing one gets each file through a temporary name in it.
  std::error_code ec;
  const fs::path folder = dir.empty() ? fs::path(".") : fs::path(dir);
  if (!fs::exists(fs::symlink_status(folder, ec))) return write_new_folder(dir, folder, files, err, opts);
  if (!fs::is_directory(folder, ec)) return fail(dir, "cannot write: the output path is not a folder");
  remove_stale_temps(folder);
  if (opts.whole_folder && !fs::is_symlink(fs::symlink_status(folder, ec)) && replaceable_output_folder(folder)) {
    bool unsupported = false;
    if (write_new_folder(dir, folder, files, err, opts, /*exchange=*/true, &unsupported)) return true;
    if (!unsupported) return false;
  }

  // A final name taken by a folder (or anything but a file or a link) would
  // make its rename fail half-way through: refuse before writing anything.
  for (std::size_t i = 0; i < files.names.size(); ++i) {
    fs::path final_path = folder / files.names[i];
    fs::file_status st = fs::symlink_status(final_path, ec);
    if (!ec && fs::exists(st) && !fs::is_regular_file(st) && !fs::is_symlink(st)) {
      return fail(final_path.string(), "cannot write: a folder or special file of that name is in the way");
    }
  }

  std::vector<std::string> temps;
  auto cleanup = [&] {
    for (const auto& t : temps) ::unlink(t.c_str());
  };
  for (std::size_t i = 0; i < files.names.size(); ++i) {
    std::string final_path = (folder / files.names[i]).string();
    int fd = -1;
    const std::string tmp = make_temporary(folder, [&](const std::string& path) {
      fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      return fd >= 0;
    });
    if (fd < 0) {
      std::string why = std::strerror(errno);
      cleanup();
      return fail(final_path, "cannot write: " + why);
    }
    temps.push_back(tmp);
    std::string why;
    if (!write_and_close(fd, files.text(i), &why)) {
      cleanup();
      return fail(final_path, "cannot write: " + why);
    }
  }
  // Flush the data before any rename, so that after a crash a final name
  // holds the whole new content, never an empty or truncated file. One
  // syncfs for the folder's file system costs what one fsync does; an fsync
  // per file costs milliseconds each (minutes for 100,000 notices).
  if (opts.sync && !sync_temps(folder, temps)) {
    std::string why = std::strerror(errno);
    cleanup();
    return fail(dir, "cannot write: flushing to disk failed: " + why);
  }
  // Every file is complete: now put them in place, the issue file last.
  for (std::size_t i = 0; i < files.names.size(); ++i) {
    std::string final_path = (folder / files.names[i]).string();
    if (::rename(temps[i].c_str(), final_path.c_str()) != 0) {
      std::string why = std::strerror(errno);
      for (std::size_t k = i; k < temps.size(); ++k) ::unlink(temps[k].c_str());
      return fail(final_path, "cannot rename into place: " + why);
    }
  }
  // Make the renames themselves durable (batch's syncfs of the group does it
  // for an unsynced write).
  if (opts.sync) sync_folder(folder);
  return true;
}

}  // namespace

bool write_files(const std::string& dir, const std::vector<OutputFile>& files, Error* err, const WriteOptions& opts) {
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.name);
  return write_file_list(dir, {names, [&](std::size_t i) -> const std::string& { return files[i].content; }}, err, opts);
}

bool write_files(const std::string& dir, const IssueFiles& files, Error* err, const WriteOptions& options) {
  WriteOptions opts = options;
  opts.whole_folder = true;
  // One text at a time, in a buffer that keeps its capacity from file to file.
  std::string text;
  text.reserve(1 << 16);
  return write_file_list(dir,
                         {files.names(),
                          [&](std::size_t i) -> const std::string& {
                            files.render(i, &text);
                            return text;
                          }},
                         err, opts);
}

}  // namespace gazette
