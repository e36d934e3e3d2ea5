#include "batch_files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <unistd.h>

#include "batch.h"
#include "writer.h"

namespace gazette::batch_files {
namespace {

namespace fs = std::filesystem;

/// Inputs larger than this are refused, as read_source does: memory stays bounded.
constexpr std::size_t kMaxIssueBytes = std::size_t{256} << 20;

/// Issues converted between two flushes to disk (see StampGroup).
constexpr std::size_t kStampGroup = 64;

/// Version of the manifest's format; merge refuses another.
constexpr int kManifestVersion = 1;

std::string too_large() { return "larger than " + std::to_string(kMaxIssueBytes >> 20) + " MiB"; }

/// The temporary name of a LineFile: `.NAME.tmp-PID` (NAME without its dot).
std::string temp_prefix(const std::string& name) {
  return "." + (name.rfind('.', 0) == 0 ? name.substr(1) : name) + ".tmp-";
}

/// With the folder locked, every temporary of its line files is an
/// interrupted run's.
void remove_stale_line_files(const std::string& dir) {
  const std::string prefixes[] = {temp_prefix(kNoticeIndexFile), temp_prefix(kManifestFile)};
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    for (const auto& p : prefixes)
      if (n.rfind(p, 0) == 0) fs::remove(it->path(), ec);
  }
}

const char* kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::Usage: return "usage";
    case ErrorKind::Grammar: return "grammar";
    case ErrorKind::Input: return "input";
    case ErrorKind::Output: return "output";
    case ErrorKind::Memory: return "memory";
  }
  return "input";
}

bool kind_from_name(const std::string& s, ErrorKind* k) {
  for (ErrorKind c : {ErrorKind::Usage, ErrorKind::Grammar, ErrorKind::Input, ErrorKind::Output})
    if (s == kind_name(c)) {
      *k = c;
      return true;
    }
  return false;
}

void parse_header(const Json& j, ManifestHeader* h) {
  if (j.at("manifest").get<int>() != kManifestVersion) throw std::runtime_error("another manifest version");
  h->recipe.get(j);
  h->shard = j.at("shard").get<unsigned>();
  h->shards = j.at("shards").get<unsigned>();
  h->inputs = j.at("inputs").get<std::size_t>();
  h->list_hash = j.at("list_hash").get<std::string>();
  if (h->shards == 0 || h->shard == 0 || h->shard > h->shards) throw std::runtime_error("bad shard");
}

void parse_entry(const Json& j, ManifestEntry* e) {
  e->index = j.at("index").get<std::size_t>();
  e->name = j.at("name").get<std::string>();
  e->input = j.at("input").get<std::string>();
  e->notices = j.at("notices").get<std::size_t>();
  const Json& error = j.at("error");
  e->failed = !error.is_null();
  if (!e->failed) return;
  if (!kind_from_name(error.at("kind").get<std::string>(), &e->error.kind)) throw std::runtime_error("bad kind");
  e->error.file = error.at("file").get<std::string>();
  e->error.line = error.at("line").get<int>();
  e->error.message = error.at("message").get<std::string>();
}

}  // namespace

std::string hex64(std::uint64_t v) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(v));
  return b;
}

std::string read_fd(int fd, std::string* bytes) {
  char buf[1 << 16];
  for (;;) {
    ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    if (r == 0) return std::string();
    bytes->append(buf, static_cast<std::size_t>(r));
    if (bytes->size() > kMaxIssueBytes) return too_large();
  }
}

bool read_file(const std::string& path, std::string* bytes, struct stat* st, Error* err) {
  auto fail = [&](const std::string& msg) {
    *err = Error{ErrorKind::Input, path, 0, 0, -1, "cannot read: " + msg};
    return false;
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno == ENOENT ? std::string("no such file") : std::string(std::strerror(errno)));
  if (::fstat(fd, st) != 0) {
    int e = errno;
    ::close(fd);
    return fail(std::strerror(e));
  }
  if (S_ISDIR(st->st_mode)) {
    ::close(fd);
    return fail("is a folder");
  }
  if (static_cast<unsigned long long>(st->st_size) > kMaxIssueBytes) {
    ::close(fd);
    return fail(too_large());
  }
  bytes->clear();
  if (st->st_size > 0) bytes->reserve(static_cast<std::size_t>(st->st_size));
  std::string why = read_fd(fd, bytes);  // the size can grow while the file is read
  ::close(fd);
  return why.empty() || fail(why);
}

OutputLock::~OutputLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

bool OutputLock::acquire(const std::string& dir, Error* err) {
  const std::string path = (fs::path(dir) / kLockFile).string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    *err = Error{ErrorKind::Output, path, 0, 0, -1, std::string("cannot lock the output folder: ") + std::strerror(errno)};
    return false;
  }
  struct flock whole {};
  whole.l_type = F_WRLCK;
  whole.l_whence = SEEK_SET;
  if (::fcntl(fd_, F_SETLK, &whole) == 0) return true;
  struct flock holder = whole;
  const bool known = ::fcntl(fd_, F_GETLK, &holder) == 0 && holder.l_type != F_UNLCK;
  *err = Error{ErrorKind::Output, dir, 0, 0, -1,
               "the output folder is in use by another gazette batch" +
                   (known ? " (pid " + std::to_string(holder.l_pid) + ")" : std::string()) +
                   "; wait for it to finish or write elsewhere"};
  ::close(fd_);
  fd_ = -1;
  return false;
}

bool open_output_folder(const std::string& dir, OutputLock* lock, Error* err) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    *err = Error{ErrorKind::Output, dir, 0, 0, -1,
                 "cannot create output folder: " + (ec ? ec.message() : std::string("not a folder"))};
    return false;
  }
  // One run a folder at a time: a second run into it is refused, not
  // interleaved (two runs into one folder each lost part of notices.jsonl).
  if (!lock->acquire(dir, err)) return false;
  remove_stale_temporaries(dir);  // what interrupted runs left there
  remove_stale_line_files(dir);
  return true;
}

LineFile::~LineFile() {
  if (!f_) return;
  std::fclose(f_);
  ::unlink(tmp_.c_str());
}

bool LineFile::open(const std::string& dir, const std::string& name, Error* err) {
  path_ = (fs::path(dir) / name).string();
  tmp_ = (fs::path(dir) / (temp_prefix(name) + std::to_string(::getpid()))).string();
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (f_) return true;
  *err = Error{ErrorKind::Output, path_, 0, 0, -1, std::string("cannot write: ") + std::strerror(errno)};
  return false;
}

void LineFile::line(const std::string& text) {
  if (ok_ && (std::fwrite(text.data(), 1, text.size(), f_) != text.size() || std::fputc('\n', f_) == EOF)) ok_ = false;
  ++lines_;
  hash_ = next_line_hash(hash_, text);
}

bool LineFile::commit(Error* err) {
  const bool closed = std::fclose(f_) == 0;
  f_ = nullptr;
  if (ok_ && closed && std::rename(tmp_.c_str(), path_.c_str()) == 0) return true;
  *err = Error{ErrorKind::Output, path_, 0, 0, -1, std::string("cannot write: ") + std::strerror(errno)};
  ::unlink(tmp_.c_str());
  return false;
}

std::uint64_t next_line_hash(std::uint64_t before, const std::string& line) {
  return content_hash(line.data(), line.size(), before);
}

void StampGroup::add(std::string dir, std::string stamp) {
  pending_.emplace_back(std::move(dir), std::move(stamp));
  if (pending_.size() >= kStampGroup) flush();
}

void StampGroup::flush() {
  if (pending_.empty()) return;
  Error serr;
  if (sync_filesystem(out_dir_, &serr)) {
    WriteOptions unsynced;
    unsynced.sync = false;
    for (const auto& [dir, stamp] : pending_) {
      Error werr;  // a stamp that cannot be written only costs a rebuild next time
      write_files(dir, {{kStampFile, stamp}}, &werr, unsynced);
    }
  }
  pending_.clear();
}

void Recipe::put(Json* j) const {
  (*j)["gazette"] = gazette;
  (*j)["format"] = format;
  (*j)["encoding"] = encoding;
  (*j)["lossy"] = lossy;
  (*j)["grammar_hash"] = grammar_hash;
}

void Recipe::get(const Json& j) {
  gazette = j.at("gazette").get<std::string>();
  format = j.at("format").get<std::string>();
  encoding = j.at("encoding").get<std::string>();
  lossy = j.at("lossy").get<bool>();
  grammar_hash = j.at("grammar_hash").get<std::string>();
}

std::string render_manifest_header(const ManifestHeader& h) {
  Json j;
  j["manifest"] = kManifestVersion;
  h.recipe.put(&j);
  j["shard"] = h.shard;
  j["shards"] = h.shards;
  j["inputs"] = h.inputs;
  j["list_hash"] = h.list_hash;
  return compact_json(j);
}

std::string render_manifest_entry(const ManifestEntry& e) {
  Json j;
  j["index"] = e.index;
  j["name"] = e.name;
  j["input"] = e.input;
  j["notices"] = e.notices;
  if (e.failed) {
    Json error;
    error["kind"] = kind_name(e.error.kind);
    error["file"] = e.error.file;
    error["line"] = e.error.line;
    error["message"] = e.error.message;
    j["error"] = std::move(error);
  } else {
    j["error"] = nullptr;
  }
  return compact_json(j);
}

std::string render_manifest_end(std::size_t issues, std::size_t notices, std::uint64_t notices_hash) {
  Json j;
  j["end"] = true;
  j["issues"] = issues;
  j["notices"] = notices;
  j["notices_hash"] = hex64(notices_hash);
  return compact_json(j);
}

bool read_manifest(const std::string& dir, Manifest* m, Error* err) {
  const std::string path = (fs::path(dir) / kManifestFile).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = Error{ErrorKind::Input, dir, 0, 0, -1,
                 std::string("no ") + kManifestFile + " in this folder: not the output folder of a gazette batch run"};
    return false;
  }
  *m = Manifest{};
  int line_no = 0;
  bool ended = false;
  std::string line;
  while (!ended && std::getline(in, line)) {
    ++line_no;
    Json j = Json::parse(line, nullptr, false);
    try {
      if (j.is_discarded() || !j.is_object()) throw std::runtime_error("not JSON");
      if (line_no == 1) {
        parse_header(j, &m->header);
      } else if (j.contains("end")) {
        if (j.at("issues").get<std::size_t>() != m->entries.size()) throw std::runtime_error("count");
        m->notices = j.at("notices").get<std::size_t>();
        m->notices_hash = j.at("notices_hash").get<std::string>();
        ended = true;
      } else {
        m->entries.emplace_back();
        parse_entry(j, &m->entries.back());
      }
    } catch (const std::exception&) {
      *err = Error{ErrorKind::Input, path, line_no, 0, -1,
                   "not a line this version of gazette writes in a batch manifest; run the batch again"};
      return false;
    }
  }
  if (ended) return true;
  *err = Error{ErrorKind::Input, path, 0, 0, -1, "the manifest ends early; run the batch again"};
  return false;
}

}  // namespace gazette::batch_files
