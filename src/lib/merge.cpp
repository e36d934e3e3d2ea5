// merge_batches: the output folders of the shards of one batch list joined
// into one folder, as a single run over the whole list writes it.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "batch.h"
#include "batch_files.h"
#include "writer.h"

namespace gazette {
namespace {

namespace fs = std::filesystem;
using namespace batch_files;

/// One shard's output folder, locked while it is read.
struct ShardDir {
  std::string dir;
  Manifest manifest;
  OutputLock lock;
};

Error input_error(const std::string& file, const std::string& message) {
  return Error{ErrorKind::Input, file, 0, 0, -1, message};
}

std::string shard_text(const ManifestHeader& h) {
  return "shard " + std::to_string(h.shard) + "/" + std::to_string(h.shards) + " of a list of " +
         std::to_string(h.inputs) + " issues";
}

std::string recipe_text(const Recipe& r) {
  return "gazette " + r.gazette + ", --format " + r.format + ", encoding " +
         (r.encoding.empty() ? std::string("detected") : r.encoding) + (r.lossy ? ", --lossy" : "") + ", rules " +
         r.grammar_hash;
}

/// Locks each folder (a batch still writing there is refused) and reads its manifest.
bool read_shards(const std::vector<std::string>& dirs, std::vector<std::unique_ptr<ShardDir>>* shards, Error* err) {
  for (const auto& d : dirs) {
    auto s = std::make_unique<ShardDir>();
    s->dir = d;
    std::error_code ec;
    if (!fs::is_directory(d, ec)) {
      *err = input_error(d, "no such folder");
      return false;
    }
    if (!fs::is_regular_file(fs::path(d) / kManifestFile, ec)) return read_manifest(d, &s->manifest, err);  // says why
    if (!s->lock.acquire(d, err) || !read_manifest(d, &s->manifest, err)) return false;
    shards->push_back(std::move(s));
  }
  return true;
}

/// The shards are of one list and one recipe, and each shard is there once.
bool check_same_run(const std::vector<std::unique_ptr<ShardDir>>& shards, Error* err) {
  const ShardDir& first = *shards.front();
  const ManifestHeader& f = first.manifest.header;
  std::map<unsigned, const ShardDir*> by_shard;
  for (const auto& s : shards) {
    const ManifestHeader& h = s->manifest.header;
    if (!(h.recipe == f.recipe)) {
      *err = input_error(s->dir, "made with other options or rules than " + first.dir + " (" + recipe_text(h.recipe) +
                                     "; there: " + recipe_text(f.recipe) + "); make every shard with the same command");
      return false;
    }
    if (h.shards != f.shards || h.inputs != f.inputs || h.list_hash != f.list_hash) {
      *err = input_error(s->dir, shard_text(h) + " (list " + h.list_hash + ") does not belong with " + first.dir +
                                     ", " + shard_text(f) + " (list " + f.list_hash +
                                     "): merge the shards of one list, each made from the same paths");
      return false;
    }
    auto [at, fresh] = by_shard.emplace(h.shard, s.get());
    if (!fresh) {
      *err = input_error(s->dir, "holds shard " + std::to_string(h.shard) + "/" + std::to_string(h.shards) +
                                     ", as " + at->second->dir + " does: give each shard's folder once");
      return false;
    }
  }
  for (unsigned k = 1; k <= f.shards; ++k)
    if (!by_shard.count(k)) {
      *err = input_error(first.dir, "shard " + std::to_string(k) + "/" + std::to_string(f.shards) +
                                        " is missing: give the output folders of all " + std::to_string(f.shards) +
                                        " shards");
      return false;
    }
  return true;
}

/// Where each issue of the list is: (shard, entry), in list order. Refuses
/// entries that overlap or leave part of the list out.
bool place_entries(const std::vector<std::unique_ptr<ShardDir>>& shards,
                   std::vector<std::pair<std::size_t, std::size_t>>* order, Error* err) {
  const std::size_t inputs = shards.front()->manifest.header.inputs;
  std::vector<std::pair<std::size_t, std::size_t>> at(inputs, {SIZE_MAX, SIZE_MAX});
  std::size_t placed = 0;
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const auto& entries = shards[s]->manifest.entries;
    for (std::size_t e = 0; e < entries.size(); ++e) {
      const std::size_t i = entries[e].index;
      if (i >= inputs || at[i].first != SIZE_MAX) {
        *err = input_error(shards[s]->dir, "issue " + entries[e].name + " is also in " +
                                               (i < inputs ? shards[at[i].first]->dir : std::string("no list")) +
                                               ": the shards overlap; make them again with the same list");
        return false;
      }
      at[i] = {s, e};
      ++placed;
    }
  }
  if (placed != inputs) {
    *err = input_error(shards.front()->dir, "the shards hold " + std::to_string(placed) + " of the list's " +
                                                std::to_string(inputs) + " issues");
    return false;
  }
  *order = std::move(at);
  return true;
}

/// The shard's notices.jsonl is the one its manifest was written with, and
/// every issue that did not fail has its folder.
bool check_shard_files(const ShardDir& s, Error* err) {
  const std::string index = (fs::path(s.dir) / kNoticeIndexFile).string();
  std::ifstream in(index, std::ios::binary);
  std::size_t lines = 0;
  std::uint64_t hash = 0;
  for (std::string line; std::getline(in, line); ++lines) hash = next_line_hash(hash, line);
  std::size_t listed = 0;
  for (const auto& e : s.manifest.entries) listed += e.notices;
  if (!in.eof() || lines != s.manifest.notices || listed != lines || hex64(hash) != s.manifest.notices_hash) {
    *err = input_error(index, std::string("does not match ") + kManifestFile +
                                  " (changed since the batch run that wrote them?); run the shard's batch again");
    return false;
  }
  for (const auto& e : s.manifest.entries) {
    std::error_code ec;
    if (!e.failed && !fs::is_directory(fs::path(s.dir) / e.name, ec)) {
      *err = input_error((fs::path(s.dir) / e.name).string(), "the issue's folder is missing; run the shard's batch again");
      return false;
    }
  }
  return true;
}

/// Copies the issue folder `from` to `to` whole; its stamp goes to `stamps`.
bool copy_issue(const std::string& from, const std::string& to, StampGroup* stamps, Error* err) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) names.push_back(it->path().filename().string());
  if (ec) {
    *err = input_error(from, "cannot list folder: " + ec.message());
    return false;
  }
  std::sort(names.begin(), names.end());
  // The issue file last, as convert writes it.
  std::stable_partition(names.begin(), names.end(), [](const std::string& n) { return n.rfind("issue.", 0) != 0; });
  std::vector<OutputFile> files;
  std::string stamp;
  for (const auto& n : names) {
    std::string bytes;
    struct stat st {};
    if (!read_file((fs::path(from) / n).string(), &bytes, &st, err)) return false;
    if (n == kStampFile)
      stamp = std::move(bytes);
    else
      files.push_back(OutputFile{n, std::move(bytes)});
  }
  WriteOptions unsynced;
  unsynced.sync = false;
  unsynced.clean_parent = false;  // merge_batches cleaned the output folder once
  unsynced.whole_folder = true;
  if (!write_files(to, files, err, unsynced)) return false;
  if (!stamp.empty()) stamps->add(to, std::move(stamp));
  return true;
}

bool is_one_of(const std::string& out_dir, const std::vector<std::string>& dirs) {
  for (const auto& d : dirs) {
    std::error_code ec;
    if (fs::equivalent(out_dir, d, ec)) return true;
  }
  return false;
}

}  // namespace

bool merge_batches(const std::vector<std::string>& shard_dirs, const std::string& out_dir, MergeSummary* summary,
                   Error* err) {
  *summary = MergeSummary{};
  if (shard_dirs.empty() || is_one_of(out_dir, shard_dirs)) {
    *err = Error{ErrorKind::Usage, out_dir, 0, 0, -1,
                 shard_dirs.empty() ? "no shard folders to merge"
                                    : "is one of the shard folders; merge into another folder"};
    return false;
  }
  std::vector<std::unique_ptr<ShardDir>> shards;
  std::vector<std::pair<std::size_t, std::size_t>> order;
  if (!read_shards(shard_dirs, &shards, err) || !check_same_run(shards, err) || !place_entries(shards, &order, err))
    return false;
  for (const auto& s : shards)
    if (!check_shard_files(*s, err)) return false;

  OutputLock lock;
  if (!open_output_folder(out_dir, &lock, err)) return false;
  LineFile index, manifest;
  if (!index.open(out_dir, kNoticeIndexFile, err) || !manifest.open(out_dir, kManifestFile, err)) return false;
  ManifestHeader header = shards.front()->manifest.header;
  header.shard = header.shards = 1;
  manifest.line(render_manifest_header(header));

  std::vector<std::ifstream> rows;
  for (const auto& s : shards) rows.emplace_back((fs::path(s->dir) / kNoticeIndexFile).string(), std::ios::binary);
  StampGroup stamps(out_dir);
  for (const auto& [s, e] : order) {
    const ManifestEntry& entry = shards[s]->manifest.entries[e];
    if (entry.failed) summary->failures.push_back(entry.error);
    if (!entry.failed &&
        !copy_issue((fs::path(shards[s]->dir) / entry.name).string(), (fs::path(out_dir) / entry.name).string(),
                    &stamps, err))
      return false;
    std::string line;
    for (std::size_t k = 0; k < entry.notices && std::getline(rows[s], line); ++k) index.line(line);
    manifest.line(render_manifest_entry(entry));
  }
  stamps.flush();
  manifest.line(render_manifest_end(order.size(), index.lines(), index.hash()));
  summary->shards = shards.size();
  summary->issues = order.size();
  summary->notices = index.lines();
  return manifest.commit(err) && index.commit(err);
}

}  // namespace gazette
