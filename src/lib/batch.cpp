#include "batch.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/utf8.h>

#include "batch_files.h"
#include "convert.h"
#include "json_model.h"

namespace gazette {
namespace {

namespace fs = std::filesystem;
using namespace batch_files;

/// 2: notices.jsonl rows (kept in the stamp) carry docnum_printed, and the
/// outputs key 文号 by their canonical form; 3: the rows carry the cited 文号
/// and the masthead's 期号. An older stamp rebuilds.
constexpr int kStampVersion = 3;
std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool is_hidden(const fs::path& p) {
  std::string n = p.filename().string();
  return !n.empty() && n[0] == '.';
}

/// An issue file in a folder: a text (.txt), a PDF (.pdf) or a scan (.png,
/// .jpg, .jpeg, .tif, .tiff).
bool has_issue_extension(const fs::path& p) {
  const std::string ext = lower_ascii(p.extension().string());
  return ext == ".txt" || ext == ".pdf" || ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".tif" ||
         ext == ".tiff";
}

/// A file name as text: itself when it is valid UTF-8; otherwise each byte
/// that is not part of a valid sequence as %XX (and % as %25), so that the
/// name written into notices.jsonl and the stamps is the folder's own name,
/// not one with U+FFFD that points nowhere (a GBK name on a UTF-8 system).
std::string utf8_name(const std::string& bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t n = static_cast<int32_t>(bytes.size());
  bool valid = true;
  for (int32_t i = 0; i < n && valid;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    valid = c >= 0;
  }
  if (valid) return bytes;
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (int32_t i = 0; i < n;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c >= 0 && c != '%') {
      out.append(bytes, static_cast<std::size_t>(at), static_cast<std::size_t>(i - at));
      continue;
    }
    for (int32_t k = at; k < i; ++k) {
      out += '%';
      out += hex[p[k] >> 4];
      out += hex[p[k] & 15];
    }
  }
  return out;
}

/// The output folder name for an issue file: its stem as text, or "issue"
/// when the stem could not stand as a folder name.
std::string stem_name(const std::string& input) {
  std::string s = utf8_name(fs::path(input).stem().string());
  if (s.empty() || s[0] == '.') return "issue";
  return s;
}

long long mtime_ns(const struct stat& st) {
  return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

/// What an issue's output was built from. Written as the first line of the
/// stamp (one JSON object); the issue's notices.jsonl rows follow, one a line,
/// so that a skipped issue still contributes its rows without being re-read.
struct Stamp {
  Recipe recipe;
  std::string input;
  long long size = -1;
  long long mtime = -1;
  std::string hash;

  /// Same build recipe (everything but the input's own size, time and content).
  bool same_recipe(const Stamp& o) const { return recipe == o.recipe && input == o.input; }
};

std::string render_stamp(const Stamp& s, const std::vector<std::string>& rows) {
  Json j;
  j["stamp"] = kStampVersion;
  s.recipe.put(&j);
  j["input"] = s.input;
  j["input_size"] = s.size;
  j["input_mtime_ns"] = s.mtime;
  j["input_hash"] = s.hash;
  j["notices"] = rows.size();
  std::string out = compact_json(j) + "\n";
  for (const auto& r : rows) out += r + "\n";
  return out;
}

/// Reads a stamp written by render_stamp. False when missing or not ours
/// (the issue is then rebuilt).
bool read_stamp(const std::string& path, Stamp* s, std::vector<std::string>* rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string line;
  if (!std::getline(in, line)) return false;
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  try {
    if (j.at("stamp").get<int>() != kStampVersion) return false;
    s->recipe.get(j);
    s->input = j.at("input").get<std::string>();
    s->size = j.at("input_size").get<long long>();
    s->mtime = j.at("input_mtime_ns").get<long long>();
    s->hash = j.at("input_hash").get<std::string>();
    std::size_t n = j.at("notices").get<std::size_t>();
    rows->clear();
    while (rows->size() < n && std::getline(in, line)) rows->push_back(line);
    return rows->size() == n;
  } catch (const Json::exception&) {
    return false;
  }
}

Json optional_int(const std::optional<int>& v) { return v ? Json(*v) : Json(nullptr); }

/// One line of notices.jsonl per notice: the fields people filter on, and
/// the notice's file relative to the batch folder. `docnum` is the canonical
/// form, one key per notice across issues; `docnum_printed` is what to search
/// the issue's text for; `references` the canonical 文号 the notice cites.
/// `issue` is the output folder; the masthead's publication and 期号 (year,
/// number, cumulative number) say which issue it really is.
std::string notice_row(const Notice& n, const Issue& issue, const std::string& issue_name, const std::string& file) {
  Json j;
  j["docnum"] = n.docnum.text.empty() ? Json(nullptr) : Json(n.docnum.text);
  j["docnum_printed"] = n.docnum.printed.empty() ? Json(nullptr) : Json(n.docnum.printed);
  j["title"] = n.title;
  j["issuer"] = n.issuer;
  j["date"] = n.date ? Json(*n.date) : Json(nullptr);
  j["issue"] = issue_name;
  j["file"] = issue_name + "/" + file;
  Json refs = Json::array();
  for (const DocNumber& r : n.references) refs.push_back(r.text);
  j["references"] = std::move(refs);
  j["publication"] = issue.publication.empty() ? Json(nullptr) : Json(issue.publication);
  j["issue_year"] = optional_int(issue.year);
  j["issue_number"] = optional_int(issue.number);
  j["issue_cumulative_number"] = optional_int(issue.cumulative_number);
  return compact_json(j);
}

struct JobResult {
  IssueOutcome outcome;
  std::vector<std::string> rows;
  std::string dir;    ///< the issue's output folder
  std::string stamp;  ///< its stamp, written once the outputs are on disk
};

/// Everything a worker needs; shared read-only between workers.
struct BatchContext {
  const std::vector<BatchJob>* jobs;
  const Grammar* grammar;
  const BatchOptions* opts;
  Recipe recipe;  ///< what every issue's output is built with
};

JobResult process_job(const BatchContext& ctx, std::size_t index) {
  const BatchJob& job = (*ctx.jobs)[index];
  const BatchOptions& o = *ctx.opts;
  JobResult r;
  r.outcome.index = index;
  r.outcome.job = &job;
  auto fail = [&](Error e) {
    r.outcome.status = IssueStatus::Failed;
    r.outcome.error = std::move(e);
    r.rows.clear();
    return std::move(r);
  };
  const std::string dir = (fs::path(o.out_dir) / job.name).string();
  const std::string stamp_path = (fs::path(dir) / kStampFile).string();

  Stamp want;
  want.recipe = ctx.recipe;
  want.input = utf8_name(job.input);

  std::string bytes;
  struct stat st {};
  bool have_bytes = false;
  Error err;
  if (o.incremental) {
    Stamp old;
    std::vector<std::string> rows;
    struct stat now {};
    std::error_code ec;
    std::string issue_file = (fs::path(dir) / (std::string("issue.") + format_extension(o.format))).string();
    if (::stat(job.input.c_str(), &now) == 0 && S_ISREG(now.st_mode) && read_stamp(stamp_path, &old, &rows) &&
        old.same_recipe(want) && old.size == static_cast<long long>(now.st_size) && fs::exists(issue_file, ec)) {
      bool same = old.mtime == mtime_ns(now);
      if (!same) {
        // Touched, same size: the content decides; the bytes serve the rebuild if it changed.
        if (!read_file(job.input, &bytes, &st, &err)) return fail(err);
        have_bytes = true;
        std::string h = hex64(content_hash(bytes.data(), bytes.size()));
        if (h == old.hash) {
          same = true;
          old.mtime = mtime_ns(st);
          Error werr;  // a stamp that cannot be refreshed only costs a re-hash next time
          write_files(dir, {{kStampFile, render_stamp(old, rows)}}, &werr);
        }
      }
      if (same) {
        r.outcome.status = IssueStatus::Skipped;
        r.outcome.notices = rows.size();
        r.rows = std::move(rows);
        return r;
      }
    }
  }
  if (!have_bytes && !read_file(job.input, &bytes, &st, &err)) return fail(err);
  want.size = static_cast<long long>(bytes.size());
  want.mtime = mtime_ns(st);
  want.hash = hex64(content_hash(bytes.data(), bytes.size()));

  SourceText src;
  if (!decode_source(bytes, job.input, o.decode, &src, &err)) return fail(err);
  std::string().swap(bytes);  // the decoded lines are all that is needed from here
  Issue issue;
  if (!convert_issue(std::move(src), *ctx.grammar, &issue, &err)) return fail(err);  // consumes src.lines
  if (!check_is_gazette(issue, &err)) return fail(err);
  const IssueFiles files(issue, o.format);
  // One file per notice, in notice order, then the issue file.
  for (std::size_t i = 0; i < issue.notices.size() && i < files.names().size(); ++i)
    r.rows.push_back(notice_row(issue.notices[i], issue, job.name, files.names()[i]));
  WriteOptions unsynced;
  unsynced.sync = false;
  unsynced.clean_parent = false;  // run_batch cleaned the output folder once
  if (!write_files(dir, files, &err, unsynced)) return fail(err);
  r.dir = dir;
  r.stamp = render_stamp(want, r.rows);
  r.outcome.status = IssueStatus::Converted;
  r.outcome.notices = issue.notices.size();
  r.outcome.unassigned = issue.unassigned.size();
  r.outcome.replaced = src.replaced;
  return r;
}

JobResult process_job_safely(const BatchContext& ctx, std::size_t index) {
  const BatchJob& job = (*ctx.jobs)[index];
  auto failed = [&](const std::string& msg, ErrorKind kind = ErrorKind::Input) {
    JobResult r;
    r.outcome.index = index;
    r.outcome.job = &job;
    r.outcome.status = IssueStatus::Failed;
    r.outcome.error = Error{kind, job.input, 0, 0, -1, msg};
    return r;
  };
  try {
    return process_job(ctx, index);
  } catch (const std::bad_alloc&) {
    return failed(kOutOfMemory, ErrorKind::Memory);
  } catch (const std::exception& e) {
    return failed(std::string("internal error: ") + e.what());
  }
}

}  // namespace

std::uint64_t content_hash(const char* data, std::size_t size, std::uint64_t seed) {
  // Multiply-rotate over 8-byte words (little-endian loads), then a final mix.
  constexpr std::uint64_t k1 = 0x9E3779B185EBCA87ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
  std::uint64_t h = seed ^ (static_cast<std::uint64_t>(size) * k1);
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, data + i, 8);
    h ^= w * k2;
    h = ((h << 31) | (h >> 33)) * k1;
  }
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i + k < size; ++k) tail |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[i + k])) << (8 * k);
  h ^= tail * k2;
  h ^= h >> 33;
  h *= k2;
  h ^= h >> 29;
  h *= k1;
  h ^= h >> 32;
  return h;
}

bool discover_jobs(const std::vector<std::string>& paths, std::vector<BatchJob>* jobs, Error* err) {
  std::vector<std::pair<std::string, std::string>> found;  // path, shard key
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      found.emplace_back(p, fs::path(p).lexically_normal().generic_string());
      continue;
    }
    fs::recursive_directory_iterator it(p, fs::directory_options::none, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::path& e = it->path();
      if (is_hidden(e)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        ec.clear();
        continue;
      }
      if (it->is_regular_file(ec) && has_issue_extension(e))
        found.emplace_back(e.string(), e.lexically_relative(p).generic_string());
      ec.clear();
    }
    if (ec) {
      *err = Error{ErrorKind::Input, p, 0, 0, -1, "cannot list folder: " + ec.message()};
      return false;
    }
  }
  std::sort(found.begin(), found.end());
  jobs->clear();
  std::set<std::string> seen_files;
  std::set<std::string> taken = {lower_ascii(kNoticeIndexFile)};
  for (auto& [f, key] : found) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(f, ec);
    if (!seen_files.insert(ec ? f : canonical.string()).second) continue;
    std::string stem = stem_name(f);
    std::string name = stem;
    for (int k = 2; taken.count(lower_ascii(name)); ++k) name = stem + "-" + std::to_string(k);
    taken.insert(lower_ascii(name));
    jobs->push_back(BatchJob{f, name, std::move(key)});
  }
  return true;
}

unsigned shard_of(const BatchJob& job, unsigned shards) {
  return static_cast<unsigned>(content_hash(job.key.data(), job.key.size()) % shards) + 1;
}

bool parse_shard(const std::string& text, unsigned* shard, unsigned* shards, std::string* why) {
  constexpr unsigned long kMost = 1000000;
  unsigned long k = 0, n = 0;
  std::size_t slash = text.find('/');
  auto number = [](const std::string& s, unsigned long* v) {
    if (s.empty() || s.size() > 7 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    *v = std::stoul(s);
    return true;
  };
  if (slash == std::string::npos || !number(text.substr(0, slash), &k) || !number(text.substr(slash + 1), &n)) {
    *why = "--shard takes K/N, shard K of N (e.g. 2/8), not '" + text + "'";
    return false;
  }
  if (n < 1 || n > kMost || k < 1 || k > n) {
    *why = "--shard " + text + ": K must be 1 to N, and N 1 to " + std::to_string(kMost);
    return false;
  }
  *shard = static_cast<unsigned>(k);
  *shards = static_cast<unsigned>(n);
  return true;
}

namespace {

/// A list entry that stands for no path: empty, or only spaces and tabs.
bool is_blank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

/// The paths of a list's bytes (see read_path_list); `list_name` for errors.
bool parse_path_list(const std::string& bytes, const std::string& list_name, bool nul, std::vector<std::string>* paths,
                     Error* err) {
  const char sep = nul ? '\0' : '\n';
  int line = 0;
  for (std::size_t at = 0; at < bytes.size();) {
    std::size_t end = bytes.find(sep, at);
    if (end == std::string::npos) end = bytes.size();
    std::string entry = bytes.substr(at, end - at);
    at = end + 1;
    ++line;
    if (!nul && !entry.empty() && entry.back() == '\r') entry.pop_back();
    if (is_blank(entry)) continue;
    auto fail = [&](const std::string& msg) {
      *err = Error{ErrorKind::Input, list_name, line, 0, -1, msg};
      return false;
    };
    if (entry.find('\0') != std::string::npos)
      return fail("the line holds a NUL byte (a NUL-separated list, as find -print0 writes, needs -0)");
    struct stat st {};
    if (::stat(entry.c_str(), &st) != 0)
      return fail(std::string(errno == ENOENT ? "no such file or folder" : std::strerror(errno)) + ": \"" +
                  utf8_name(entry) + "\" (paths are relative to the current folder)");
    paths->push_back(std::move(entry));
  }
  return true;
}

}  // namespace

bool read_path_list(const std::string& list, bool nul, std::vector<std::string>* paths, Error* err) {
  std::string bytes;
  const bool from_stdin = list == "-";
  if (from_stdin) {
    std::string why = read_fd(STDIN_FILENO, &bytes);
    if (!why.empty()) {
      *err = Error{ErrorKind::Input, kStdinName, 0, 0, -1, "cannot read the list of issues: " + why};
      return false;
    }
  } else {
    struct stat st {};
    if (!read_file(list, &bytes, &st, err)) return false;
  }
  std::vector<std::string> listed;
  if (!parse_path_list(bytes, from_stdin ? kStdinName : list, nul, &listed, err)) return false;
  paths->insert(paths->end(), std::make_move_iterator(listed.begin()), std::make_move_iterator(listed.end()));
  return true;
}

namespace {

/// The rules' content, not their names, decides whether outputs are stale.
std::string rules_hash(const std::vector<std::string>& grammar_files) {
  std::uint64_t h = content_hash(nullptr, 0, grammar_files.size());
  for (const auto& f : grammar_files) {
    std::string bytes;
    struct stat st {};
    Error ignored;
    if (!read_file(f, &bytes, &st, &ignored)) bytes = "unreadable:" + f;
    h = content_hash(bytes.data(), bytes.size(), h);
  }
  return hex64(h);
}

Recipe batch_recipe(const BatchOptions& opts, const std::vector<std::string>& grammar_files) {
  Recipe r;
  r.gazette = GAZETTE_VERSION;
  r.format = format_extension(opts.format);
  r.encoding = opts.decode.encoding;
  r.lossy = opts.decode.lossy;
  r.grammar_hash = rules_hash(grammar_files);
  return r;
}

/// What the manifest says the run was: its recipe and its share of which list.
ManifestHeader manifest_header(const std::vector<BatchJob>& jobs, const BatchOptions& opts, const Recipe& recipe) {
  ManifestHeader h;
  h.recipe = recipe;
  h.shard = opts.shard;
  h.shards = opts.shards;
  h.inputs = jobs.size();
  std::uint64_t lh = 0;
  for (const auto& j : jobs) lh = next_line_hash(lh, j.key + '\0' + j.name);
  h.list_hash = hex64(lh);
  return h;
}

ManifestEntry manifest_entry(const JobResult& r) {
  ManifestEntry e;
  e.index = r.outcome.index;
  e.name = r.outcome.job->name;
  e.input = utf8_name(r.outcome.job->input);
  e.notices = r.rows.size();
  e.failed = r.outcome.status == IssueStatus::Failed;
  if (e.failed) {
    e.error = r.outcome.error;
    e.error.file = utf8_name(e.error.file);
  }
  return e;
}

void count_outcome(const IssueOutcome& o, std::size_t rows, BatchSummary* summary) {
  switch (o.status) {
    case IssueStatus::Converted: ++summary->converted; break;
    case IssueStatus::Skipped: ++summary->skipped; break;
    case IssueStatus::Failed:
      ++summary->failed;
      if (!summary->has_failure) {
        summary->has_failure = true;
        summary->first_failure = o.error.kind;
      }
      break;
  }
  if (o.status != IssueStatus::Failed) summary->notices += rows;
}

}  // namespace

bool run_batch(const std::vector<BatchJob>& jobs, const Grammar& grammar, const std::vector<std::string>& grammar_files,
               const BatchOptions& opts, const BatchCallbacks& cb, BatchSummary* summary, Error* err) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  *summary = BatchSummary{};

  OutputLock lock;
  if (!open_output_folder(opts.out_dir, &lock, err)) return false;

  BatchContext ctx;
  ctx.jobs = &jobs;
  ctx.grammar = &grammar;
  ctx.opts = &opts;
  ctx.recipe = batch_recipe(opts, grammar_files);

  // notices.jsonl and the manifest go to temporary names, renamed into place at the end.
  LineFile index, manifest;
  if (!index.open(opts.out_dir, kNoticeIndexFile, err) || !manifest.open(opts.out_dir, kManifestFile, err))
    return false;
  manifest.line(render_manifest_header(manifest_header(jobs, opts, ctx.recipe)));

  // The jobs of this run's shard, by their position in the whole list.
  std::vector<std::size_t> picked;
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (opts.shards <= 1 || shard_of(jobs[i], opts.shards) == opts.shard) picked.push_back(i);

  const std::size_t n = picked.size();
  unsigned workers = opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
  workers = static_cast<unsigned>(std::min<std::size_t>(workers, std::max<std::size_t>(n, 1)));

  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::optional<JobResult>> slots(n);  // finished, not yet emitted
  std::atomic<std::size_t> next{0};
  std::size_t done = 0, failed_done = 0;

  std::vector<std::thread> pool;
  pool.reserve(workers);
  for (unsigned w = 0; w < workers; ++w)
    pool.emplace_back([&] {
      for (;;) {
        std::size_t i = next.fetch_add(1);
        if (i >= n) return;
        JobResult r = process_job_safely(ctx, picked[i]);
        {
          std::lock_guard<std::mutex> lock(mu);
          if (r.outcome.status == IssueStatus::Failed) ++failed_done;
          slots[i] = std::move(r);
          ++done;
        }
        cv.notify_one();
      }
    });

  auto progress = [&](bool finished) {
    if (!cb.progress) return;
    BatchProgress p;
    {
      std::lock_guard<std::mutex> lock(mu);
      p.done = done;
      p.failed = failed_done;
    }
    p.total = n;
    p.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    p.finished = finished;
    cb.progress(p);
  };

  // Stamps of converted issues wait for the flush of their group.
  StampGroup stamps(opts.out_dir);

  // Emit in job order: rows of an issue that finished early wait for the ones before it.
  std::size_t emitted = 0;
  while (emitted < n) {
    std::optional<JobResult> r;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return slots[emitted].has_value(); });
      if (slots[emitted]) {
        r = std::move(slots[emitted]);
        slots[emitted].reset();
      }
    }
    if (!r) {
      progress(false);
      continue;
    }
    for (const auto& row : r->rows) index.line(row);
    manifest.line(render_manifest_entry(manifest_entry(*r)));
    const IssueOutcome& o = r->outcome;
    count_outcome(o, r->rows.size(), summary);
    if (o.status == IssueStatus::Converted) stamps.add(std::move(r->dir), std::move(r->stamp));
    if (cb.outcome) cb.outcome(o);
    ++emitted;
    progress(false);
  }
  for (auto& t : pool) t.join();
  stamps.flush();
  progress(true);

  manifest.line(render_manifest_end(n, index.lines(), index.hash()));
  return manifest.commit(err) && index.commit(err);
}

}  // namespace gazette
