#!/usr/bin/env python3
"""Print a paragraph-form gazette issue the ways text extraction prints it.

Usage: print-variant.py INPUT OUTPUT [options]   (the options are listed below)

INPUT is an issue in *paragraph form*: each paragraph on one line, paragraphs
separated by a blank line, a page break printed as a run of three or more blank
lines, table rows as tab-separated cells. OUTPUT is the same issue as another
extractor would have printed it. The test suite converts each variant and runs
the shared gold check on it: the tool must read every form the same way.

Only the Python 3 standard library is used, and the output is a pure function of
the input and the options (no clock, no randomness, no locale): the same call
always writes the same bytes. Every non-blank input character is printed once and
in its order; the only changes are white space (wrapping, indentation, letter
spacing, blank lines) and the one-for-one substitutions that --dash-one,
--ring-zero and --brackets ask for, plus the page furniture that --page-numbers
and --running-head add.

The forms, and why extractors print them:

--width N (hard wrap). A PDF text extractor (pdftotext, PyMuPDF, pdfminer) and an
    OCR engine (Tesseract, PaddleOCR) print one output line per *printed* line;
    they do not know where a paragraph ends. The page of a 公文 is set on a grid:
    GB/T 9704-2012 prescribes 28 characters a line and 22 lines a page, so a
    line holds 2*N columns where a Han character or full-width mark takes two and
    an ASCII character one. Chinese line breaking (避头尾) applies: a line may not
    start with closing punctuation (，。、；：！？）》」』”’〕】 …) nor with a
    lone — (连接号, as in 2023—2025), so the typesetter hangs that one mark at
    the end of the line before (the line runs one character over) or, when two
    such marks follow each other, pushes the last character of the line down
    with them; a line may not end with an opening bracket or quote, which moves
    down. An ASCII word or number (2023,
    6A19, 0471-8152011) is never split: it moves down whole. A dash (——) or an
    ellipsis (……) stays on one line. The space where a line breaks is not
    printed. Table rows (lines with a TAB) are never wrapped: an extractor keeps
    a table row on one line. A run of 2+ blank lines (the paragraph form's page
    break) is where a page of the print ended: it stays a page end (see
    --page-lines), since the print's reading-order faults (a fragment of one
    notice inside another) come whole pages and columns at a time.

--indent. GB/T 9704 indents a paragraph's first line by two characters; pdftotext
    -layout prints that indent, here as two ideographic spaces (U+3000) at the
    start of each paragraph's first line (they count in the width). Table rows
    and letter-spaced display lines (set centred, not indented) get none.

--no-blank-lines. Extractors that see uniform line spacing print no blank line
    between paragraphs (pdftotext without -layout, most OCR engines): a paragraph
    end is then visible only as a short line (or, with --indent, as the next
    line's indent). Every blank line of the input is dropped; the page
    furniture keeps its own blank lines.

--page-lines N, --page-numbers STYLE, --first-page N. The wrapped text is cut into
    pages at the print's own page ends, and a page longer than N printed lines
    is cut every N lines (N = 0: the print's page ends only; blank lines count; a blank line that would open a
    page is not printed, and the blank lines that close a page's text are not
    printed either, as a page-aware extractor prints no gap at a page
    boundary). After each page comes a blank line and the page number. GB/T 9704
    prints the number between two one-em dashes (一字线): `— 12 —` (dash).
    Extraction loses the spaces (`—12—`, tight), OCR reads the dashes as hyphens
    (`- 12 -`, hyphen) or loses them (`12`, plain). Numbers start at --first-page
    (default 1) and count every page, the cover included.

--running-head TEXT, --alternate-head TEXT2. A gazette prints a running head
    above the text of every page but the cover (here: the first two pages): the
    publication's name, alternating with the issue (`2023年第2期`) when TEXT2 is
    given (TEXT on even page numbers, TEXT2 on odd ones). The extractor prints
    it as the page's first line, then a blank line. Note that the head's text
    also occurs in the issue's masthead.

--form-feed. pdftotext ends every page with a form feed: the \\f stands at the
    start of the next page's first line, and the file ends with one.

--letter-space. Display lines (the issuer line 发文机关标志 and the title of a
    notice) are set large and tracked; pdftotext prints the tracking as a space
    between characters: `关 于 加 强 政 务 信 息 报 送 工 作 的 通 知`, digits
    included (`2 0 2 3`). A space of the input (a word gap) prints as three
    spaces. The lines are found by structure: above each line that holds only a
    文号 (`土左政字〔2023〕73号`), the title line(s) up to the one that starts
    with 关于 (or that holds `ISSUER 关于…`, issuer and title run together), and
    above them an issuer line (Han only, at most 30 characters). Body text is
    never letter-spaced. With --width, a letter-spaced line that does not fit
    wraps at the gaps between characters (never inside an ASCII run) and stays
    letter-spaced.

--dash-one. OCR reads the heading marker 一、 at the start of a paragraph as
    —、 (U+2014): both are one horizontal stroke, and at a line start there is no
    context to tell them apart. A 一、 inside a paragraph is left alone, even when
    a wrap puts it at the start of a printed line.

--ring-zero[=○|O]. In a year written in Chinese numerals (二〇三五年) OCR and
    typists print the zero 〇 (U+3007) as ○ (U+25CB, white circle) or as the
    letter O.

--brackets KIND. GB/T 9704 encloses the year of a 文号 in hexagonal brackets
    〔2023〕; OCR and retyping give [2023] (square), (2023) (paren, ASCII),
    【2023】 (lenticular) or ［2023］ (fullsquare). Only brackets around a
    four-digit year followed by a number and 号 change.

--all. --width 28 --page-lines 22 --page-numbers dash --running-head
    土默特左旗人民政府公报 --alternate-head 2023年第2期 --letter-space --dash-one
    --ring-zero --brackets square. Options given beside --all override it.

The OCR substitutions are made after the page is laid out, with the line breaks
the clean text got: a misread character does not move a line break.
"""
import argparse
import re
import sys
import unicodedata

# Chinese line-breaking classes (避头尾). A line must not start with a closing
# mark; the ASCII marks count when the text uses them as Chinese punctuation
# (监管,采用). A line must not end with an opening mark.
CLOSING = set('，。、；：！？）》」』”’〕】〗〉］｝·％～'
              ',.;:!?)]}%')
OPENING = set('（《「『“‘〔【〖〈［｛'
              '([{')
# Marks printed doubled (破折号 ——, 省略号 ……) that a line break must not split.
PAIRED = set('—…')

IDEOGRAPHIC_SPACE = '\u3000'
DOCNUM_ONLY = re.compile(r'^\s*\S+〔\d{4}〕\d+号\s*$')
ISSUER = re.compile(r'^[\u4e00-\u9fff]{2,30}$')
# Issuer and title printed on one line: 土默特左旗人民政府办公室 关于印发…
ISSUER_AND_TITLE = re.compile(r'^[\u4e00-\u9fff]{2,30}\s+关于')
DOCNUM_YEAR = re.compile(r'〔(\d{4})〕(?=\d+号)')
HEADING_ONE = re.compile(r'^(\s*)一、')
CHINESE_YEAR = re.compile(r'[〇一二三四五六七八九]{4}年')

BRACKETS = {'square': '[]', 'paren': '()', 'lenticular': '【】', 'fullsquare': '［］'}
PAGE_NUMBER = {'dash': '— {} —', 'tight': '—{}—', 'hyphen': '- {} -', 'plain': '{}',
               # the running head and the page number on one line, at the page top
               'head-dash': '{head}\u3000\u3000— {n} —', 'head-plain': '{head}  {n}'}
ALL_DEFAULTS = {
    'width': 28, 'page_lines': 22, 'page_numbers': 'dash',
    'running_head': '土默特左旗人民政府公报', 'alternate_head': '2023年第2期',
    'letter_space': True, 'dash_one': True, 'ring_zero': '○', 'brackets': 'square',
}


def char_width(ch):
    """Columns a character takes on the page: 2 for Han, full-width and the
    East Asian ambiguous marks (“”—①×, full-width in Chinese type), 0 for
    combining marks, 1 for the rest."""
    if unicodedata.category(ch) in ('Mn', 'Me', 'Cf'):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in 'WFA' else 1


def text_width(s):
    return sum(char_width(c) for c in s)


class Paragraph:
    """One input line, with its substituted twin and how to print it.

    `text` is the line as read; `shown` has the same length, with the OCR
    substitutions made one character for one, so that a layout computed on
    `text` can be printed from `shown`."""

    def __init__(self, text):
        self.text = text
        self.shown = text
        self.display = False   # a header line to letter-space

    @property
    def blank(self):
        return not self.text.strip()

    @property
    def table_row(self):
        return '\t' in self.text

    def substitute(self, pattern, replace):
        """Applies a one-for-one character substitution to `shown`."""
        new = pattern.sub(replace, self.shown)
        assert len(new) == len(self.shown), 'substitutions must keep the length'
        self.shown = new


def find_display_lines(paras):
    """Marks each notice's title line(s) and issuer line (see --letter-space)."""
    def previous_nonblank(i):
        i -= 1
        while i >= 0 and paras[i].blank:
            i -= 1
        return i if i >= 0 else None

    for i, p in enumerate(paras):
        if not DOCNUM_ONLY.match(p.text):
            continue
        title, k = [], previous_nonblank(i)
        while k is not None and len(title) < 3:
            title.append(k)
            line = paras[k].text.strip()
            if line.startswith('关于') or ISSUER_AND_TITLE.match(line):
                break
            k = previous_nonblank(k)
        else:
            continue   # no 关于 line within three lines: not a header
        for k in title:
            paras[k].display = True
        first = paras[title[-1]].text.strip()
        if first.startswith('关于'):
            k = previous_nonblank(title[-1])
            if k is not None and ISSUER.match(paras[k].text.strip()):
                paras[k].display = True


def tokenize(s):
    """Splits a paragraph into unbreakable units and the white space between.

    Returns (units, glues): units are (start, end) spans of `s`; glues[j] is the
    white space before unit j ('' when the units touch; glues[0] is unused).
    A unit is one wide character, a run of narrow characters (an ASCII word or
    number, a Mongolian word), or a run of — or … marks; a zero-width
    combining mark stays with the character before it."""
    units, glues, gap, i, n = [], [], '', 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            j = i
            while j < n and s[j].isspace():
                j += 1
            gap, i = s[i:j], j
            continue
        j = i + 1
        if c in PAIRED:
            while j < n and s[j] == c:
                j += 1
        elif char_width(c) <= 1:
            while j < n and not s[j].isspace() and char_width(s[j]) <= 1 and s[j] not in PAIRED:
                j += 1
        while j < n and not s[j].isspace() and char_width(s[j]) == 0:
            j += 1
        units.append((i, j))
        glues.append(gap if len(units) > 1 else '')
        gap, i = '', j
    return units, glues


def render_unit(s, spaced):
    return ' '.join(s) if spaced else s


def render_glue(g, spaced):
    if spaced:
        return '   ' if g else ' '
    return g


def split_wide_units(text, units, glues, limit, spaced):
    """Cuts any unit wider than a whole line into pieces that fit: an ASCII run
    is kept whole only when it can be."""
    out_u, out_g = [], []
    for (a, b), g in zip(units, glues):
        piece_start, w = a, 0
        if text_width(render_unit(text[a:b], spaced)) <= limit:
            out_u.append((a, b))
            out_g.append(g)
            continue
        for k in range(a, b):
            cw = char_width(text[k]) + (1 if spaced and k > piece_start else 0)
            if w + cw > limit and k > piece_start:
                out_u.append((piece_start, k))
                out_g.append(g if piece_start == a else '')
                piece_start, w = k, char_width(text[k])
            else:
                w += cw
        out_u.append((piece_start, b))
        out_g.append(g if piece_start == a else '')
    return out_u, out_g


def break_lines(text, units, glues, first_limit, limit, spaced):
    """Greedy line breaking with the 避头尾 rules; returns (first, end) unit ranges."""
    uw = [text_width(render_unit(text[a:b], spaced)) for a, b in units]
    gw = [text_width(render_glue(g, spaced)) for g in glues]
    # A lone — is a 连接号 (2023—2025), which may not start a line either; a
    # doubled —— (破折号) may.
    starts_closing = [text[a] in CLOSING or text[a:b] == '—' for a, b in units]
    ends_opening = [text[b - 1] in OPENING for _, b in units]
    n, first, ranges = len(units), 0, []
    while first < n:
        room = first_limit if not ranges else limit
        width, end = uw[first], first + 1
        while end < n and width + gw[end] + uw[end] <= room:
            width += gw[end] + uw[end]
            end += 1
        if end < n:
            end = adjust_break(first, end, n, uw, starts_closing, ends_opening)
        ranges.append((first, end))
        first = end
    return ranges


def adjust_break(first, end, n, uw, starts_closing, ends_opening):
    """Moves a break at unit `end` so that the next line does not start with a
    closing mark and this one does not end with an opening mark."""
    if starts_closing[end] and uw[end] <= 2 and not (end + 1 < n and starts_closing[end + 1]) \
            and not ends_opening[end - 1]:
        return end + 1   # hang the one mark: the line runs one character over
    moved = end
    while moved > first + 1 and (starts_closing[moved] or ends_opening[moved - 1]):
        moved -= 1       # push characters down until the break is allowed
    if starts_closing[moved] or ends_opening[moved - 1]:
        return end       # nothing allows it (a line of marks only): break anyway
    return moved


def layout_paragraph(p, cols, indent):
    """The printed lines of one non-blank, non-table paragraph."""
    spaced = p.display
    lead = IDEOGRAPHIC_SPACE * 2 if indent and not spaced else ''
    if cols is None and not spaced:
        return [lead + p.shown.strip() if lead else p.shown]
    units, glues = tokenize(p.text)
    if cols is None:
        ranges = [(0, len(units))]
    else:
        limit = 2 * cols
        units, glues = split_wide_units(p.text, units, glues, limit - text_width(lead), spaced)
        ranges = break_lines(p.text, units, glues, limit - text_width(lead), limit, spaced)
    lines = []
    for first, end in ranges:
        parts = []
        for j in range(first, end):
            if j > first:
                parts.append(render_glue(glues[j], spaced))
            a, b = units[j]
            parts.append(render_unit(p.shown[a:b], spaced))
        lines.append(''.join(parts))
    if lead:
        lines[0] = lead + lines[0]
    return lines


PAGE_END = object()   # a page of the print ends here
SENTENCE_END = '。！？；：…!?;:）)」』”'


def mark_page_ends(paras):
    """Replaces every run of 2+ blank lines (a page break of the print) by PAGE_END."""
    out, run = [], []
    for p in paras + [None]:
        if p is not None and p is not PAGE_END and p.blank:
            run.append(p)
            continue
        out.extend([PAGE_END] if len(run) >= 2 else run)
        run = []
        if p is not None:
            out.append(p)
    return out


def paginate(lines, page_lines):
    """Cuts printed lines (None = blank) into pages of `page_lines` lines."""
    pages, body = [], []
    for line in lines:
        if line is PAGE_END:
            if body:
                pages.append(body)
                body = []
            continue
        if line is None and not body:
            continue   # a paragraph gap at a page boundary is not printed
        body.append(line)
        if len(body) == page_lines:
            pages.append(body)
            body = []
    if body:
        pages.append(body)
    for body in pages:
        while body and body[-1] is None:
            body.pop()
    return pages


def print_pages(pages, args):
    """The pages with their running heads, page numbers and form feeds."""
    out = []
    for index, body in enumerate(pages):
        folio = args.first_page + index
        page = []
        odd = folio % 2 == 1
        head = args.alternate_head if args.alternate_head and odd else args.running_head
        combined = (args.page_numbers or '').startswith('head-')
        if combined and index >= 1:
            page += [PAGE_NUMBER[args.page_numbers].format(head=head, n=folio), '']
        elif args.running_head and index >= 2:
            page += [head, '']
        page += ['' if line is None else line for line in body]
        if args.page_numbers and not combined:
            page += ['', PAGE_NUMBER[args.page_numbers].format(folio)]
        text = '\n'.join(page) + '\n'
        out.append(text + '\f' if args.form_feed else text)
    return ''.join(out)


def make_variant(source, args):
    """The variant of `source` (the paragraph form's text) that `args` ask for."""
    source = source.replace('\r\n', '\n')
    ends_with_newline = source.endswith('\n')
    raw = source.split('\n')
    if ends_with_newline:
        raw.pop()
    paras = [Paragraph(line) for line in raw]

    if args.letter_space:
        find_display_lines(paras)
    for p in paras:
        if args.dash_one:
            p.substitute(HEADING_ONE, lambda m: m[1] + '—、')
        if args.ring_zero:
            p.substitute(CHINESE_YEAR, lambda m: m[0].replace('〇', args.ring_zero))
        if args.brackets:
            left, right = BRACKETS[args.brackets]
            p.substitute(DOCNUM_YEAR, lambda m: left + m[1] + right)

    if args.width is not None:
        paras = mark_page_ends(paras)
    if args.no_blank_lines:
        paras = [p for p in paras if p is PAGE_END or not p.blank]

    lines = []   # printed lines; None is a blank line
    after_page_end, last_text = False, ''
    for p in paras:
        if p is PAGE_END:
            lines.append(PAGE_END)
            after_page_end = True
        elif p.blank:
            lines.append(None if args.width is not None else p.shown)
        elif p.table_row:
            lines.append(p.shown)
            after_page_end, last_text = False, ''
        else:
            # The rest of a sentence cut by a page end of the print is no new
            # paragraph: it gets no indent.
            goes_on = after_page_end and last_text and last_text[-1] not in SENTENCE_END
            lines.extend(layout_paragraph(p, args.width, args.indent and not goes_on))
            after_page_end, last_text = False, p.text.strip()

    if args.width is None:
        text = '\n'.join(lines)
        return text + '\n' if ends_with_newline or not lines else text
    return print_pages(paginate(lines, args.page_lines), args)


def parse_args(argv):
    ap = argparse.ArgumentParser(prog='print-variant.py', description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('input', help="issue in paragraph form (UTF-8; '-' for standard input)")
    ap.add_argument('output', help="variant to write ('-' for standard output)")
    ap.add_argument('--width', type=int, help='hard-wrap at N characters (2*N columns)')
    ap.add_argument('--indent', action='store_true',
                    help="start each paragraph with two ideographic spaces (U+3000)")
    ap.add_argument('--no-blank-lines', action='store_true', help='drop every blank line of the input')
    ap.add_argument('--page-lines', type=int, help='printed lines a page (default 22; needs --width)')
    ap.add_argument('--page-numbers', choices=sorted(PAGE_NUMBER), help='print a page number after each page')
    ap.add_argument('--first-page', type=int, help='number of the first page (default 1)')
    ap.add_argument('--running-head', metavar='TEXT', help='first line of every page but the first two')
    ap.add_argument('--alternate-head', metavar='TEXT2', help='running head of odd-numbered pages')
    ap.add_argument('--form-feed', action='store_true', help='end each page with a form feed')
    ap.add_argument('--letter-space', action='store_true', help="letter-space each notice's issuer and title")
    ap.add_argument('--dash-one', action='store_true', help='print a paragraph-initial 一、 as —、')
    ap.add_argument('--ring-zero', nargs='?', const='○', choices=['○', 'O'],
                    help='print 〇 in a Chinese-numeral year as ○ (default) or O')
    ap.add_argument('--brackets', choices=sorted(BRACKETS), help='brackets of the year in every 文号')
    ap.add_argument('--all', action='store_true', help='all of the above at width 28 (see the description above)')
    args = ap.parse_args(argv)

    if args.all:
        for key, value in ALL_DEFAULTS.items():
            if getattr(args, key) in (None, False):
                setattr(args, key, value)
    if args.width is None:
        needs_width = [name for name, value in (
            ('--page-lines', args.page_lines), ('--page-numbers', args.page_numbers),
            ('--first-page', args.first_page), ('--running-head', args.running_head),
            ('--alternate-head', args.alternate_head), ('--form-feed', args.form_feed)) if value]
        if needs_width:
            ap.error('%s: only with --width (pages exist only in a wrapped variant)' % ', '.join(needs_width))
    elif args.width < 4:
        ap.error('--width must be at least 4')
    if args.alternate_head and not args.running_head:
        ap.error('--alternate-head needs --running-head')
    if args.page_lines is None:
        args.page_lines = 22
    elif args.page_lines < 0:
        ap.error('--page-lines must be 0 (the page ends of the print only) or more')
    if args.first_page is None:
        args.first_page = 1
    return args


def main(argv):
    args = parse_args(argv)
    if args.input == '-':
        source = sys.stdin.buffer.read().decode('utf-8')
    else:
        with open(args.input, encoding='utf-8') as f:
            source = f.read()
    if source.startswith('\ufeff'):
        source = source[1:]
    if '\f' in source:
        sys.exit('print-variant.py: %s already holds form feeds: give the paragraph form' % args.input)
    variant = make_variant(source, args)
    if args.output == '-':
        sys.stdout.buffer.write(variant.encode('utf-8'))
    else:
        with open(args.output, 'w', encoding='utf-8', newline='') as f:
            f.write(variant)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
