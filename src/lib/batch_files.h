// The files of a batch output folder besides the issues' own: its lock,
// notices.jsonl and the manifest (each streamed under a temporary name and
// renamed into place), and the stamps, written a group at a time. Internal
// to the library: run_batch and merge_batches share it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <sys/stat.h>

#include "diagnostics.h"
#include "json_model.h"

namespace gazette::batch_files {

std::string hex64(std::uint64_t v);

/// Reads what is left of `fd` into `bytes`, up to the input size limit.
/// Returns "" or what went wrong.
std::string read_fd(int fd, std::string* bytes);
/// Reads a whole file (not a folder, not over the input size limit) with one
/// open and one fstat. Fills `st` with what was read.
bool read_file(const std::string& path, std::string* bytes, struct stat* st, Error* err);

/// An exclusive lock on an output folder for the length of a run: a POSIX
/// record lock on the empty file `.gazette-lock`, which the kernel releases
/// when the process ends however it ends, and which names its holder's pid
/// to a run that finds it taken.
class OutputLock {
 public:
  OutputLock() = default;
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  ~OutputLock();
  bool acquire(const std::string& dir, Error* err);

 private:
  int fd_ = -1;
};

/// Creates `dir` (and its parents), locks it, and removes what interrupted
/// runs left in it.
bool open_output_folder(const std::string& dir, OutputLock* lock, Error* err);

/// A file of the output folder written a line at a time under a temporary
/// name (`.NAME.tmp-PID`) and renamed into place by commit(); removed if
/// never committed. Keeps the count and a chain hash of its lines.
class LineFile {
 public:
  LineFile() = default;
  LineFile(const LineFile&) = delete;
  LineFile& operator=(const LineFile&) = delete;
  ~LineFile();
  bool open(const std::string& dir, const std::string& name, Error* err);
  void line(const std::string& text);  ///< `text` and a newline; a failure shows at commit()
  bool commit(Error* err);
  std::size_t lines() const { return lines_; }
  std::uint64_t hash() const { return hash_; }

 private:
  std::FILE* f_ = nullptr;
  std::string path_, tmp_;
  bool ok_ = true;
  std::size_t lines_ = 0;
  std::uint64_t hash_ = 0;
};

/// The chain hash of a file's lines that LineFile keeps: each line's bytes
/// (without the newline) hashed with the hash of the lines before as seed.
std::uint64_t next_line_hash(std::uint64_t before, const std::string& line);

/// Stamps of issues whose outputs were written without a flush to disk: one
/// syncfs covers a group of issues and only then are the group's stamps
/// written. A crash can lose outputs, never leave a stamp that vouches for
/// outputs not on disk (so --incremental rebuilds them).
class StampGroup {
 public:
  explicit StampGroup(std::string out_dir) : out_dir_(std::move(out_dir)) {}
  /// Queues the stamp of the issue folder `dir`; flushes a full group.
  void add(std::string dir, std::string stamp);
  void flush();

 private:
  std::string out_dir_;
  std::vector<std::pair<std::string, std::string>> pending_;
};

/// What outputs are built with, besides the input: the version, the output
/// format, the decoding and the rules' content. Stamps and manifests carry it.
struct Recipe {
  std::string gazette;
  std::string format;
  std::string encoding;
  bool lossy = false;
  std::string grammar_hash;
  bool operator==(const Recipe& o) const {
    return gazette == o.gazette && format == o.format && encoding == o.encoding && lossy == o.lossy &&
           grammar_hash == o.grammar_hash;
  }
  /// Adds its keys to `j`.
  void put(Json* j) const;
  /// Reads its keys from `j` (throws Json::exception when one is missing).
  void get(const Json& j);
};

/// The manifest (`.gazette-batch`): what a batch run was asked to do and
/// what became of each issue of its share, so that merge_batches can put the
/// shards of one list back together in the order a single run writes. Its
/// first line is the header, then one line per issue in list order, then a
/// closing line with the counts and the hash of notices.jsonl.
struct ManifestHeader {
  Recipe recipe;
  unsigned shard = 1, shards = 1;
  std::size_t inputs = 0;  ///< issues in the whole list (all shards)
  std::string list_hash;   ///< of the whole list: every issue's shard key and output name
};

struct ManifestEntry {
  std::size_t index = 0;  ///< position in the whole list
  std::string name;       ///< output folder
  std::string input;
  std::size_t notices = 0;  ///< its lines in notices.jsonl
  bool failed = false;
  Error error;  ///< when failed
};

struct Manifest {
  ManifestHeader header;
  std::vector<ManifestEntry> entries;
  std::size_t notices = 0;  ///< lines of notices.jsonl
  std::string notices_hash;
};

std::string render_manifest_header(const ManifestHeader& h);
std::string render_manifest_entry(const ManifestEntry& e);
std::string render_manifest_end(std::size_t issues, std::size_t notices, std::uint64_t notices_hash);
/// Reads DIR/.gazette-batch. An Input error names the folder when there is
/// none, and the line when one is not what render_manifest_* wrote.
bool read_manifest(const std::string& dir, Manifest* m, Error* err);

}  // namespace gazette::batch_files
