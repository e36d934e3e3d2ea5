#include "pdf.h"

#include <memory>
#include <mutex>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

namespace gazette {
namespace {

/// poppler prints its own warnings on standard error; the library never
/// prints, so they are silenced once (errors still come back as values).
void silence_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

Error pdf_error(const std::string& name, std::string msg) {
  return Error{ErrorKind::Input, name, 0, 0, -1, std::move(msg)};
}

/// The words of a page's text layer, as poppler gives them.
std::vector<PageWord> page_words(const poppler::page& page) {
  std::vector<PageWord> words;
  for (const poppler::text_box& b : page.text_list()) {
    poppler::byte_array utf8 = b.text().to_utf8();
    poppler::rectf r = b.bbox();
    PageWord w;
    w.text.assign(utf8.data(), utf8.size());
    w.box = Box{static_cast<float>(r.left()), static_cast<float>(r.top()), static_cast<float>(r.right()),
                static_cast<float>(r.bottom())};
    w.space_after = b.has_space_after();
    words.push_back(std::move(w));
  }
  return words;
}

}  // namespace

bool looks_like_pdf(std::string_view bytes) { return bytes.substr(0, 5) == "%PDF-"; }

bool read_pdf(std::string_view bytes, const std::string& name, const OcrOptions& ocr, SourceText* out, Error* err) {
  silence_poppler();
  out->name = name;
  out->encoding = "PDF";
  out->lines.clear();
  out->runs.clear();
  out->replaced = 0;
  out->places.clear();
  out->pages = 0;
  out->ocr = false;
  out->low_confidence = ocr.low_confidence;
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    *err = pdf_error(name, "not a readable PDF (damaged or truncated)");
    return false;
  }
  if (doc->is_locked()) {
    *err = pdf_error(name, "the PDF is encrypted; gazette reads it once it is saved without a password");
    return false;
  }
  const int pages = doc->pages();
  if (pages <= 0) {
    *err = pdf_error(name, "the PDF has no pages");
    return false;
  }
  std::vector<std::vector<PageLine>> laid(static_cast<std::size_t>(pages));
  std::vector<int> scanned;  // pages without a text layer, 0-based
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) {
      *err = pdf_error(name, "page " + std::to_string(i + 1) + " of " + std::to_string(pages) + " cannot be read");
      return false;
    }
    laid[static_cast<std::size_t>(i)] = lay_out_page(page_words(*page), i + 1);
    if (laid[static_cast<std::size_t>(i)].empty()) scanned.push_back(i);
  }
  if (!scanned.empty() && !ocr.enabled) {
    *err = pdf_error(name, "page " + std::to_string(scanned.front() + 1) + " of " + std::to_string(pages) +
                               " has no text layer (a scanned page), and OCR is off (--no-ocr)");
    return false;
  }
  if (!scanned.empty()) {
    poppler::page_renderer renderer;
    renderer.set_image_format(poppler::image::format_gray8);
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    auto render = [&](int i, GrayImage* img, std::string* why) {
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      poppler::image im = page ? renderer.render_page(page.get(), ocr.dpi, ocr.dpi) : poppler::image();
      if (!im.is_valid() || im.width() <= 0 || im.height() <= 0) {
        *why = "the page cannot be rendered for OCR";
        return false;
      }
      img->width = im.width();
      img->height = im.height();
      img->dpi = ocr.dpi;
      img->pixels.resize(static_cast<std::size_t>(im.width()) * static_cast<std::size_t>(im.height()));
      for (int y = 0; y < im.height(); ++y) {
        const char* row = im.const_data() + static_cast<std::ptrdiff_t>(y) * im.bytes_per_row();
        std::copy(row, row + im.width(), img->pixels.begin() + static_cast<std::ptrdiff_t>(y) * im.width());
      }
      return true;
    };
    std::vector<std::vector<PageWord>> words;
    OcrFailure fail;
    if (!ocr_pages(scanned, render, ocr, &words, &fail)) {
      *err = ocr_error(name, fail, pages);
      return false;
    }
    // Boxes in PDF points, as the text layer's are.
    const float scale = 72.0f / static_cast<float>(ocr.dpi);
    for (std::size_t k = 0; k < scanned.size(); ++k) {
      for (PageWord& w : words[k]) w.box = Box{w.box.x0 * scale, w.box.y0 * scale, w.box.x1 * scale, w.box.y1 * scale};
      laid[static_cast<std::size_t>(scanned[k])] = lay_out_page(std::move(words[k]), scanned[k] + 1);
    }
    out->ocr = true;
    out->encoding = scanned.size() == static_cast<std::size_t>(pages)
                        ? "PDF (OCR)"
                        : "PDF (OCR on " + std::to_string(scanned.size()) + " of " + std::to_string(pages) + " pages)";
  }
  for (int i = 0; i < pages; ++i) append_page_lines(std::move(laid[static_cast<std::size_t>(i)]), i + 1, out);
  return true;
}

}  // namespace gazette
