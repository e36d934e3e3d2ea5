// Batch conversion: many issues into one output folder, on a pool of threads.
// Each issue is converted exactly as `convert` does it; the batch machinery
// only finds the inputs, hands them to workers, writes a stamp per issue, and
// streams DIR/notices.jsonl in sorted input order. It never prints: the CLI
// gets every outcome and progress through callbacks, on the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "grammar.h"
#include "source.h"
#include "writer.h"

namespace gazette {

/// One issue to convert: where it is read from and the folder it goes to.
struct BatchJob {
  std::string input;  ///< path as found (a given file, or a folder joined with the relative path)
  std::string name;   ///< output folder name inside the batch folder, unique within the batch
  /// What --shard hashes: the path relative to the folder it was found in,
  /// or a file's path as given; the same on every machine given the same
  /// folders or list, wherever the archive is mounted.
  std::string key;
};

/// The issues named by `paths`, sorted by path (byte order), duplicates (the
/// same file reached twice) removed. A folder contributes every regular `.txt`
/// file below it (recursively; hidden files and folders are skipped); a file
/// is taken whatever its name; a path that does not exist is kept as a job, so
/// that it fails and is reported like any unreadable issue. Output names are
/// the file stems; when stems collide, later ones (in sorted order) get -2,
/// -3, ... Returns false and fills `err` when a folder cannot be listed.
/// Every job gets its shard key (BatchJob::key).
bool discover_jobs(const std::vector<std::string>& paths, std::vector<BatchJob>* jobs, Error* err);

/// The name errors give standard input read as a list of issues.
inline constexpr const char* kStdinName = "(standard input)";

/// Appends to `paths` the issue files or folders listed in `list` ("-":
/// standard input), one a line, or separated by NUL bytes with `nul` (as
/// find -print0 writes them). Blank entries (empty, or only spaces and tabs)
/// are skipped; a line's trailing CR is dropped (a list saved on Windows);
/// paths are taken as written, relative to the current folder. Every path
/// must exist: a missing one, a NUL byte in a line (without `nul`) or a list
/// that cannot be read is an Input error naming the list and the line (the
/// entry's number with `nul`), and nothing is appended.
bool read_path_list(const std::string& list, bool nul, std::vector<std::string>* paths, Error* err);

struct BatchOptions {
  std::string out_dir;
  unsigned jobs = 0;  ///< worker threads; 0 = one per core
  Format format = Format::Json;  ///< JSON: what most readers load fastest (README, batch)
  DecodeOptions decode;
  bool incremental = false;  ///< skip issues whose stamp says they are up to date
  /// Convert only shard `shard` (1-based) of `shards`: the jobs whose key
  /// hashes to it (shard_of). The output names, the manifest and the order
  /// are those of the whole list, so that merge_batches can join the shards.
  unsigned shard = 1, shards = 1;
};

/// The shard (1 to `shards`) a job belongs to: a 64-bit hash of its key,
/// modulo `shards`. A job's shard depends on its key alone: it stays when the
/// archive grows, and is the same on every machine (little-endian: x86-64,
/// ARM64).
unsigned shard_of(const BatchJob& job, unsigned shards);

/// Parses `K/N` (1 <= K <= N <= 1000000). False with the reason in `why`.
bool parse_shard(const std::string& text, unsigned* shard, unsigned* shards, std::string* why);

enum class IssueStatus { Converted, Skipped, Failed };

/// What happened to one issue; given to the outcome callback in job order.
struct IssueOutcome {
  std::size_t index = 0;  ///< position in the job list
  const BatchJob* job = nullptr;
  IssueStatus status = IssueStatus::Failed;
  Error error;                 ///< when Failed
  std::size_t notices = 0;     ///< notices of the issue (also when Skipped)
  std::size_t unassigned = 0;  ///< unassigned lines (Converted only)
  std::size_t replaced = 0;    ///< bytes replaced by U+FFFD (lossy decoding, Converted only)
};

/// A snapshot for a progress display. `done` counts issues finished (in any
/// order), which may run ahead of the outcomes already reported.
struct BatchProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::size_t failed = 0;
  double elapsed_seconds = 0;
  bool finished = false;  ///< the last call of a run
};

struct BatchSummary {
  std::size_t converted = 0;
  std::size_t failed = 0;
  std::size_t skipped = 0;
  std::size_t notices = 0;  ///< lines written to notices.jsonl
  bool has_failure = false;
  ErrorKind first_failure = ErrorKind::Input;  ///< kind of the first failed issue in job order
};

struct BatchCallbacks {
  /// Called once per issue, in job order, on the thread that called run_batch.
  std::function<void(const IssueOutcome&)> outcome;
  /// Called on the thread that called run_batch, at most every ~100 ms and at
  /// each completion; the receiver decides how often to draw.
  std::function<void(const BatchProgress&)> progress;
};

/// Converts every job (of the shard opts.shard asks for) with `grammar` (loaded from `grammar_files`, whose
/// contents go into the stamps). Writes DIR/<name>/ as convert does, plus
/// DIR/<name>/.gazette-stamp, DIR/notices.jsonl and the manifest
/// DIR/.gazette-batch (temporary files, renamed into place at the end). An issue that fails is reported through the
/// outcome callback and the others go on. Returns false and fills `err` only
/// when the batch itself cannot run: the output folder or notices.jsonl
/// cannot be written (the issues' own failures are in the summary).
bool run_batch(const std::vector<BatchJob>& jobs, const Grammar& grammar, const std::vector<std::string>& grammar_files,
               const BatchOptions& opts, const BatchCallbacks& cb, BatchSummary* summary, Error* err);

/// A 64-bit hash of `bytes` (not cryptographic: it detects edits, which is
/// what stamps need). Word at a time, so hashing an archive costs little.
std::uint64_t content_hash(const char* data, std::size_t size, std::uint64_t seed = 0);

/// File name of the per-issue stamp inside its output folder.
inline constexpr const char* kStampFile = ".gazette-stamp";
/// The file a batch run locks its output folder with.
inline constexpr const char* kLockFile = ".gazette-lock";
/// File name of the notice index inside the batch folder.
inline constexpr const char* kNoticeIndexFile = "notices.jsonl";
/// File name of the batch folder's manifest: the run's options, its shard of
/// the list, and each issue's name, input, notice count and failure.
inline constexpr const char* kManifestFile = ".gazette-batch";

struct MergeSummary {
  std::size_t shards = 0;
  std::size_t issues = 0;   ///< in the whole list
  std::size_t notices = 0;  ///< lines of the merged notices.jsonl
  /// The issues that failed in their shard, in list order (their notices
  /// are missing, as from a single run).
  std::vector<Error> failures;
};

/// Joins the output folders of the shards of one batch list (run with
/// --shard K/N, every K once, same options and rules) into `out_dir`: every
/// issue folder is copied (whole, as run_batch writes it, stamps a group at a
/// time), and notices.jsonl and the manifest are written in list order:
/// byte for byte what one run over the whole list writes. Refuses, with an
/// Input error naming the folders and nothing written, shards of other lists
/// or options, a shard given twice or missing, and a folder whose
/// notices.jsonl does not match its manifest; a Usage error when `out_dir`
/// is one of the shards; an Output error when `out_dir` cannot be written or
/// a batch runs in it or in a shard.
bool merge_batches(const std::vector<std::string>& shard_dirs, const std::string& out_dir, MergeSummary* summary,
                   Error* err);

}  // namespace gazette
