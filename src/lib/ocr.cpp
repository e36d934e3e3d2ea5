#include "ocr.h"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

namespace gazette {
namespace {

/// A page larger than this many pixels is refused (a scan at 600 dpi of an A3
/// sheet is 70 million): it keeps memory bounded whatever is passed in.
constexpr long long kMaxPixels = 150'000'000;
/// A page that takes Tesseract longer than this is given up, not waited for.
constexpr int kPageDeadlineMs = 300'000;

void quiet_leptonica() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

/// Tesseract's recogniser runs OpenMP loops of its own (with a fixed team
/// size, which omp_set_num_threads does not change); with a page a thread
/// they only contend, and spin, for the cores: a page took five times as
/// long. No parallel region is made active (max-active-levels 0), so each
/// runs on the thread that meets it. The call is looked up rather than
/// linked: libgomp comes with libtesseract when it was built with OpenMP.
void no_openmp_teams() {
  static std::once_flag once;
  std::call_once(once, [] {
    using SetLevels = void (*)(int);
    auto set = reinterpret_cast<SetLevels>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
    if (set) set(0);
  });
}

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

/// One engine, set up for reading page images in Chinese.
struct Engine {
  tesseract::TessBaseAPI api;
  bool start(const OcrOptions& o, std::string* why) {
    // Tesseract prints its diagnostics; the library never prints.
    std::vector<std::string> names{"debug_file"}, values{"/dev/null"};
    if (api.Init(nullptr, o.language.c_str(), tesseract::OEM_LSTM_ONLY, nullptr, 0, &names, &values, false) != 0) {
      *why = "OCR language data '" + o.language +
             "' is not installed (Debian: tesseract-ocr-chi-sim for chi_sim; --ocr-lang picks another)";
      return false;
    }
    // A gazette page is one column of text: read as one block, a table's
    // row stays one line (automatic layout analysis cuts a table into a
    // block a column and loses lone characters such as the 四 of 四、).
    // On the shared issue's scan it read 4 more gold facts.
    api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    return true;
  }
};

std::vector<PageWord> read_words(Engine* e, const GrayImage& img, int* deadline_hit) {
  e->api.SetImage(img.pixels.data(), img.width, img.height, 1, img.width);
  e->api.SetSourceResolution(img.dpi > 0 ? img.dpi : 300);
  tesseract::ETEXT_DESC monitor;
  monitor.set_deadline_msecs(kPageDeadlineMs);
  std::vector<PageWord> words;
  if (e->api.Recognize(&monitor) != 0) {
    *deadline_hit = 1;
    e->api.Clear();
    return words;
  }
  std::unique_ptr<tesseract::ResultIterator> it(e->api.GetIterator());
  int line = -1;
  if (it) {
    do {
      if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
      std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
      if (!text) continue;
      int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
      it->BoundingBox(tesseract::RIL_WORD, &x0, &y0, &x1, &y1);
      PageWord w;
      w.text = text.get();
      w.box = Box{static_cast<float>(x0), static_cast<float>(y0), static_cast<float>(x1), static_cast<float>(y1)};
      w.confidence = it->Confidence(tesseract::RIL_WORD);
      w.line = line;
      words.push_back(std::move(w));
    } while (it->Next(tesseract::RIL_WORD));
  }
  e->api.Clear();
  return words;
}

}  // namespace

bool ocr_pages(const std::vector<int>& pages, const PageRenderer& render, const OcrOptions& opts,
               std::vector<std::vector<PageWord>>* words, OcrFailure* fail) {
  words->assign(pages.size(), {});
  if (pages.empty()) return true;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::size_t n_threads = opts.jobs > 0 ? static_cast<std::size_t>(opts.jobs) : cores;
  n_threads = std::min(n_threads, pages.size());

  std::mutex lock;  // guards render, progress, the failure and `next`
  std::size_t next = 0;
  int done = 0;
  bool failed = false;
  auto fail_at = [&](int page, bool engine, std::string msg) {
    if (failed && (fail->engine || fail->page <= page)) return;
    failed = true;
    *fail = OcrFailure{page, engine, std::move(msg)};
  };
  auto worker = [&] {
    Engine engine;
    std::string why;
    if (!engine.start(opts, &why)) {
      std::lock_guard<std::mutex> g(lock);
      fail_at(0, true, why);
      return;
    }
    for (;;) {
      GrayImage img;
      std::size_t k;
      {
        std::lock_guard<std::mutex> g(lock);
        if (failed || next == pages.size()) return;
        k = next++;
        if (!render(pages[k], &img, &why)) {
          fail_at(pages[k] + 1, false, why);
          return;
        }
      }
      int late = 0;
      (*words)[k] = read_words(&engine, img, &late);
      std::lock_guard<std::mutex> g(lock);
      if (late) {
        fail_at(pages[k] + 1, false, "OCR gave up on the page after " + std::to_string(kPageDeadlineMs / 1000) + " s");
        return;
      }
      ++done;
      if (opts.progress) opts.progress(done, static_cast<int>(pages.size()));
    }
  };
  no_openmp_teams();
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < n_threads; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  return !failed;
}

std::string_view image_kind(std::string_view b) {
  if (b.substr(0, 8) == "\x89PNG\r\n\x1a\n") return "PNG";
  if (b.substr(0, 3) == "\xFF\xD8\xFF") return "JPEG";
  if (b.substr(0, 4) == std::string_view("II*\0", 4) || b.substr(0, 4) == std::string_view("MM\0*", 4)) return "TIFF";
  return "";
}

int image_pages(std::string_view bytes) {
  quiet_leptonica();
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0) return 0;
  if (!L_FORMAT_IS_TIFF(format)) return 1;
  FILE* f = fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb");
  if (!f) return 0;
  l_int32 n = 0;
  if (tiffGetCount(f, &n) != 0) n = 0;
  std::fclose(f);
  return n;
}

bool decode_image_page(std::string_view bytes, int page, GrayImage* out, std::string* why) {
  quiet_leptonica();
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0) {
    *why = "the image cannot be decoded (damaged or truncated)";
    return false;
  }
  if (static_cast<long long>(w) * h > kMaxPixels) {
    *why = "the image is " + std::to_string(w) + "x" + std::to_string(h) + " pixels, more than " +
           std::to_string(kMaxPixels / 1'000'000) + " million";
    return false;
  }
  PixPtr pix(L_FORMAT_IS_TIFF(format) ? pixReadMemTiff(data, bytes.size(), page) : pixReadMem(data, bytes.size()));
  if (!pix) {
    *why = "the image cannot be decoded (damaged or truncated)";
    return false;
  }
  PixPtr gray(pixConvertTo8(pix.get(), 0));
  if (!gray) {
    *why = "the image's pixel format cannot be read";
    return false;
  }
  out->width = static_cast<int>(pixGetWidth(gray.get()));
  out->height = static_cast<int>(pixGetHeight(gray.get()));
  out->dpi = static_cast<int>(pixGetXRes(gray.get()));
  out->pixels.resize(static_cast<std::size_t>(out->width) * static_cast<std::size_t>(out->height));
  const l_uint32* rows = pixGetData(gray.get());
  const l_int32 wpl = pixGetWpl(gray.get());
  for (int y = 0; y < out->height; ++y) {
    const l_uint32* row = rows + static_cast<std::ptrdiff_t>(y) * wpl;
    std::uint8_t* dst = out->pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(out->width);
    for (int x = 0; x < out->width; ++x) dst[x] = static_cast<std::uint8_t>(GET_DATA_BYTE(row, x));
  }
  return true;
}

}  // namespace gazette
