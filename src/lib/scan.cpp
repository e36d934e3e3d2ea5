// Page-image files: every page read by OCR, then laid out as lines.
#include "source.h"

namespace gazette {

Error ocr_error(const std::string& name, const OcrFailure& f, int pages) {
  const std::string where = f.page > 0 ? "page " + std::to_string(f.page) + " of " + std::to_string(pages) + ": " : "";
  return Error{f.engine ? ErrorKind::Usage : ErrorKind::Input, name, 0, 0, -1, where + f.message};
}

bool read_image_file(std::string_view bytes, const std::string& name, const OcrOptions& ocr, SourceText* out,
                     Error* err) {
  out->name = name;
  out->encoding = "OCR (" + std::string(image_kind(bytes)) + ")";
  out->lines.clear();
  out->runs.clear();
  out->places.clear();
  out->pages = 0;
  out->ocr = true;
  out->low_confidence = ocr.low_confidence;
  out->replaced = 0;
  const int n = image_pages(bytes);
  if (n <= 0) {
    *err = Error{ErrorKind::Input, name, 0, 0, -1, "the image cannot be decoded (damaged or truncated)"};
    return false;
  }
  std::vector<int> pages(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) pages[static_cast<std::size_t>(i)] = i;
  std::vector<std::vector<PageWord>> words;
  OcrFailure fail;
  auto render = [&](int page, GrayImage* img, std::string* why) { return decode_image_page(bytes, page, img, why); };
  if (!ocr_pages(pages, render, ocr, &words, &fail)) {
    *err = ocr_error(name, fail, n);
    return false;
  }
  for (int i = 0; i < n; ++i)
    append_page_lines(lay_out_page(std::move(words[static_cast<std::size_t>(i)]), i + 1), i + 1, out);
  return true;
}

}  // namespace gazette
