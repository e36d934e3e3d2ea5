// OCR: the words of page images, read by Tesseract (libtesseract, Leptonica
// for image files). Pages are read in parallel, one Tesseract engine a
// thread; a page's words depend on that page alone, so the result is the same
// whatever the number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "page_layout.h"

namespace gazette {

struct OcrOptions {
  bool enabled = true;               ///< false: a page with no text is an error, not read
  std::string language = "chi_sim";  ///< Tesseract language(s), e.g. chi_sim or chi_sim+eng
  int dpi = 300;                     ///< resolution PDF pages are rendered at; an image's own when it gives none
  int jobs = 0;                      ///< threads; 0 = one a core
  float low_confidence = 75;         ///< a line read with less (0..100) is flagged in the output
  /// Called after each page is read (done pages, all pages), from any thread
  /// but never from two at once.
  std::function<void(int done, int total)> progress;
};

/// An 8-bit grey page image.
struct GrayImage {
  int width = 0, height = 0;
  int dpi = 0;                       ///< 0 when unknown
  std::vector<std::uint8_t> pixels;  ///< rows top to bottom, `width` bytes each
};

/// Makes page `page` (0-based) of a document: fills `image`, or returns false
/// with `why`. Called with a lock held: it need not be thread-safe.
using PageRenderer = std::function<bool(int page, GrayImage* image, std::string* why)>;

struct OcrFailure {
  int page = 0;                      ///< 1-based page that failed, 0 for the engine itself
  bool engine = false;               ///< the engine could not start (language data missing)
  std::string message;
};

/// Reads pages `pages` (0-based) with `render` and OCR. words[k] receives the
/// words of pages[k] (boxes in pixels, line numbers as Tesseract groups
/// them, confidence 0..100). Returns false with `fail` on the first page
/// that cannot be rendered or read.
bool ocr_pages(const std::vector<int>& pages, const PageRenderer& render, const OcrOptions& opts,
               std::vector<std::vector<PageWord>>* words, OcrFailure* fail);

/// The kind of page-image file `bytes` holds: "PNG", "JPEG", "TIFF", or "".
std::string_view image_kind(std::string_view bytes);

/// The number of pages of an image file (a TIFF may hold many), 0 when it
/// cannot be decoded.
int image_pages(std::string_view bytes);

/// Decodes page `page` (0-based) of an image file to grey.
bool decode_image_page(std::string_view bytes, int page, GrayImage* out, std::string* why);

}  // namespace gazette
