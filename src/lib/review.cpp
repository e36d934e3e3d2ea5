#include "review.h"

#include <string_view>

#include "json_model.h"
#include "writer.h"

namespace gazette {
namespace {

// The page's style: source on the left, the issue as read on the right, each
// scrolling on its own; on paper, the issue as read alone, A4.
constexpr std::string_view kStyle = R"CSS(
:root { --hl: #fff2a8; --sel: #1d6fd8; --err: #c62828; --warn: #b26a00; --info: #4a6a8a; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 15px/1.6 "Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; color: #1b1b1b; display: grid;
       grid-template-rows: auto 1fr; grid-template-columns: 14rem 1fr 1fr; }
header { grid-column: 1 / 4; padding: .4rem .8rem; border-bottom: 1px solid #ccc; background: #f6f6f4;
         display: flex; gap: 1.2rem; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 1.05rem; margin: 0; }
header .counts { color: #555; }
header .keys { color: #888; font-size: 12px; }
nav, #source, #model { overflow: auto; height: 100%; }
nav { border-right: 1px solid #ddd; padding: .4rem; font-size: 13px; }
nav a { display: block; padding: .15rem .3rem; color: inherit; text-decoration: none; border-radius: 3px; }
nav a:hover, nav a:focus { background: #e8eef8; }
nav a.needs-review::after { content: " ●"; color: var(--warn); }
#source { border-right: 1px solid #ddd; font-size: 14px; }
.line { display: flex; gap: .6rem; padding: 0 .5rem; white-space: pre-wrap; cursor: pointer; min-height: 1.4em; }
.line .no { color: #999; min-width: 3.2em; text-align: right; user-select: none; flex: none; }
.line.furniture { color: #888; background: #f2f2f2; font-style: italic; }
.line.unassigned { background: #fde7e7; }
.line.hl { background: var(--hl); }
.line.sev-error .no { color: var(--err); font-weight: bold; }
.line.sev-warning .no { color: var(--warn); font-weight: bold; }
.line.sev-info .no { color: var(--info); }
#model { padding: .5rem 1rem 4rem; }
.notice, .issue-part { border: 1px solid #ddd; border-radius: 6px; padding: .6rem .8rem; margin: 0 0 1rem; }
.notice h2 { font-size: 1.05rem; margin: 0 0 .4rem; }
.notice h2 .docnum { color: #555; font-weight: normal; margin-right: .6rem; }
dl.fields { display: grid; grid-template-columns: 6.5rem 1fr; gap: .1rem .6rem; margin: 0 0 .5rem; }
dl.fields dt { color: #666; }
dl.fields dd { margin: 0; }
dd.missing { color: var(--err); }
.chip { display: inline-block; border: 1px solid #bcc8d8; background: #eef3fa; border-radius: 9px;
        padding: 0 .45rem; margin: 0 .25rem .15rem 0; font-size: 13px; }
.chip.deadline { background: #fff4e0; border-color: #e2c48f; }
.resp { margin: .15rem 0 .2rem 1.2rem; font-size: 13px; }
.resp .label { color: #666; margin-right: .2rem; }
.node { margin: .15rem 0; }
.node > .head { cursor: pointer; border-radius: 3px; padding: 0 .2rem; }
.node > .head:hover { background: #f0f4fa; }
.node.selected > .head, .selectable.selected > .head { outline: 2px solid var(--sel); }
.node .marker { font-weight: bold; margin-right: .3rem; }
.node.item > .head .text, .node.heading > .head .text { font-weight: 600; }
.children { margin-left: 1.4rem; border-left: 1px dotted #ccc; padding-left: .5rem; }
table { border-collapse: collapse; margin: .3rem 0; font-size: 13px; }
td, th { border: 1px solid #bbb; padding: .1rem .35rem; vertical-align: top; }
th { background: #f3f3f3; }
.enclosure { margin: .6rem 0 0; padding-top: .3rem; border-top: 1px dashed #ccc; }
.enclosure h3 { font-size: 1rem; margin: .2rem 0; }
.head.flag::after { content: " ⚑"; }
.head.flag.sev-error::after { color: var(--err); }
.head.flag.sev-warning::after { color: var(--warn); }
.head.flag.sev-info::after { color: var(--info); }
.finding { margin: .15rem 0; padding: .1rem .4rem; border-left: 4px solid; font-size: 13px; cursor: pointer; }
.finding.sev-error { border-color: var(--err); background: #fdecec; }
.finding.sev-warning { border-color: var(--warn); background: #fff6e6; }
.finding.sev-info { border-color: var(--info); background: #eef3f8; }
.repair { margin: .15rem 0; padding: .1rem .4rem; border-left: 4px solid #7b57c2; background: #f3effb;
          font-size: 13px; cursor: pointer; }
.review-only .notice:not(.needs-review) { display: none; }
.review-only nav a:not(.needs-review) { display: none; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { display: block; font-size: 11pt; }
  header, nav, #source { display: none; }
  #model { overflow: visible; height: auto; padding: 0; }
  .notice { break-before: page; border: none; padding: 0; }
  .children { border-left: none; }
}
)CSS";

// The renderer: every text goes in by textContent, never as markup.
constexpr std::string_view kScript = R"JS(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('gazette-data').textContent);
  var src = document.getElementById('source'), model = document.getElementById('model'),
      nav = document.getElementById('notices');
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function empty(v) { return v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length); }

  // Source lines.
  var lineEls = [], byLine = {};
  data.findings.forEach(function (f) { if (f.line) (byLine[f.line] = byLine[f.line] || []).push(f); });
  data.lines.forEach(function (l) {
    var n = l[0], d = el('div', 'line');
    d.id = 'L' + n;
    d.setAttribute('data-line', n);
    d.appendChild(el('span', 'no', n));
    d.appendChild(el('span', 'text', l[1]));
    if (l[4].indexOf('page furniture') === 0) d.classList.add('furniture');
    if (l[5] === 'unassigned' || / unassigned$/.test(l[5])) d.classList.add('unassigned');
    var why = [l[2], l[3], l[4], l[5]].filter(function (x) { return x; });
    (byLine[n] || []).forEach(function (f) {
      d.classList.add('sev-' + f.severity);
      why.push(f.severity + ' ' + f.code + ': ' + f.message);
    });
    d.title = why.join(' · ');
    lineEls[n] = d;
    src.appendChild(d);
  });

  // Selectable things: nodes, notices, findings, repairs; each with its lines.
  var items = [];
  function selectable(e, spans) {
    e.classList.add('selectable');
    e.setAttribute('data-node', items.length);
    e.setAttribute('data-lines', spans.map(function (s) { return s[0] + '-' + s[1]; }).join(' '));
    items.push({ el: e, spans: spans });
  }
  function spansOf(n) { return n.spans && n.spans.length ? n.spans : (n.line ? [[n.line, n.line]] : []); }

  function chips(parent, values, cls) { values.forEach(function (v) { parent.appendChild(el('span', 'chip' + (cls ? ' ' + cls : ''), v)); }); }
  function renderResp(r) {
    var e = el('div', 'resp');
    [['leaders', '责任领导'], ['lead_units', '牵头'], ['units', '责任'], ['partner_units', '配合']].forEach(function (f) {
      if (empty(r[f[0]])) return;
      e.appendChild(el('span', 'label', f[1]));
      chips(e, r[f[0]], f[0]);
    });
    if (r.deadline) {
      e.appendChild(el('span', 'label', '完成时限'));
      e.appendChild(el('span', 'chip deadline', r.deadline.text + (r.deadline.date ? ' → ' + r.deadline.date : ' (no date)')));
    }
    return e;
  }
  function renderTable(header, rows) {
    var t = el('table'), tr = el('tr');
    (header || []).forEach(function (h) { tr.appendChild(el('th', null, h)); });
    t.appendChild(tr);
    (rows || []).forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) { row.appendChild(el('td', null, c)); });
      t.appendChild(row);
    });
    return t;
  }
  function renderNode(n) {
    var e = el('div', 'node ' + (n.type || '')), head = el('div', 'head');
    if (n.marker) head.appendChild(el('span', 'marker', n.marker));
    var t = n.title !== undefined && n.title !== '' ? n.title : n.text;
    if (t) head.appendChild(el('span', 'text', t));
    if (!n.marker && !t) head.appendChild(el('span', 'text', '(' + n.type + ')'));
    e.appendChild(head);
    if (n.responsibility) e.appendChild(renderResp(n.responsibility));
    if (n.type === 'table') e.appendChild(renderTable(n.header, n.rows));
    if (n.type === 'roster') {
      e.appendChild(renderTable(['role', 'name', 'title'], (n.members || []).map(function (m) { return [m.role, m.name, m.title]; })));
    }
    if (n.children && n.children.length) {
      var c = el('div', 'children');
      n.children.forEach(function (k) { c.appendChild(renderNode(k)); });
      e.appendChild(c);
    }
    selectable(e, spansOf(n));
    return e;
  }
  function renderNodes(parent, nodes) { (nodes || []).forEach(function (n) { parent.appendChild(renderNode(n)); }); }
  function field(dl, label, value) {
    dl.appendChild(el('dt', null, label));
    var dd = el('dd');
    if (empty(value)) { dd.className = 'missing'; dd.textContent = '—'; }
    else if (Array.isArray(value)) chips(dd, value);
    else dd.textContent = value;
    dl.appendChild(dd);
  }
  function renderFinding(f) {
    var e = el('div', 'finding sev-' + f.severity, f.severity + ' · ' + f.code + (f.line ? ' · line ' + f.line : '') + ' · ' + f.message);
    selectable(e, f.line ? [[f.line, f.line]] : []);
    return e;
  }
  function renderRepair(r) {
    var e = el('div', 'repair', 'lines ' + r.lines[0] + '–' + r.lines[1] + ' moved from ' + r.from + ' to ' + r.to +
                               ' (' + r.signal + '): ' + r.detail);
    selectable(e, [r.lines]);
    return e;
  }

  // The issue: masthead, contents, then each notice.
  var issue = data.issue, counts = { review: 0 };
  var top = el('section', 'issue-part');
  top.id = 'issue';
  top.appendChild(el('h2', null, issue.publication || '(no publication read)'));
  var dl = el('dl', 'fields');
  field(dl, '年 / 期', (issue.year || '?') + ' / ' + (issue.number || '?') + (issue.cumulative_number ? ' (总第' + issue.cumulative_number + '期)' : ''));
  field(dl, 'rules', issue.rules);
  dl.appendChild(el('dt', null, '目录'));
  var tocdd = el('dd');
  if (issue.toc.length) {
    tocdd.appendChild(renderTable(['page', 'section', 'title'], issue.toc.map(function (t) { return [t.page === null ? '' : t.page, t.section, t.title]; })));
  } else tocdd.textContent = '—';
  dl.appendChild(tocdd);
  top.appendChild(dl);
  if (issue.unassigned.length) {
    top.appendChild(el('h3', null, 'Unassigned lines'));
    renderNodes(top, issue.unassigned);
  }
  var known = {};
  data.notices.forEach(function (n) { known[n.docnum.text] = true; });
  data.findings.filter(function (f) { return !f.docnum || !known[f.docnum]; }).forEach(function (f) { top.appendChild(renderFinding(f)); });
  model.appendChild(top);

  data.notices.forEach(function (n, k) {
    var s = el('section', 'notice'), id = 'notice-' + (k + 1);
    s.id = id;
    var h = el('h2');
    h.appendChild(el('span', 'docnum', n.docnum.text));
    h.appendChild(el('span', 'title', n.title || '(no title)'));
    s.appendChild(h);
    var f = el('dl', 'fields');
    field(f, '文号', n.docnum.printed || n.docnum.text);
    field(f, '发文机关', n.issuers && n.issuers.length ? n.issuers : n.issuer);
    field(f, '标题', n.title);
    if (n.signer) field(f, '签发人', n.signer);
    field(f, '主送机关', n.addressees);
    field(f, '成文日期', n.date ? n.date + ' (' + n.date_text + ')' : n.date_text);
    field(f, '署名', n.signature);
    if (n.attachments.length) field(f, '附件', n.attachments.map(function (a) { return (a.marker || '') + a.title + (a.file ? ' [' + a.file + ']' : ''); }));
    if (n.references.length) field(f, '引用文号', n.references.map(function (r) { return r.text; }));
    s.appendChild(f);
    var body = el('div', 'body');
    renderNodes(body, n.body);
    s.appendChild(body);
    n.enclosures.forEach(function (e) {
      var x = el('div', 'enclosure');
      x.appendChild(el('h3', null, [e.label, e.title].filter(function (v) { return v; }).join(' ') || '(enclosure)'));
      renderNodes(x, e.body);
      s.appendChild(x);
    });
    var findings = data.findings.filter(function (x) { return x.docnum === n.docnum.text; });
    var repairs = (issue.repairs || []).filter(function (r) { return r.from === n.docnum.text || r.to === n.docnum.text; });
    findings.forEach(function (x) { s.appendChild(renderFinding(x)); });
    repairs.forEach(function (r) { s.appendChild(renderRepair(r)); });
    var review = findings.length || repairs.length || !n.title || !n.date;
    if (review) { s.classList.add('needs-review'); counts.review++; }
    selectable(h, n.source.spans || []);
    model.appendChild(s);
    var a = el('a', review ? 'needs-review' : '', n.docnum.text + ' ' + (n.title || ''));
    a.href = '#' + id;
    nav.appendChild(a);
  });
  // Each finding also marks the smallest node that holds its line.
  data.findings.forEach(function (f) {
    if (!f.line) return;
    var best = null, size = Infinity;
    items.forEach(function (it) {
      if (!it.el.classList.contains('node')) return;
      var hit = false, total = 0;
      it.spans.forEach(function (s) { total += s[1] - s[0] + 1; if (s[0] <= f.line && f.line <= s[1]) hit = true; });
      if (hit && total < size) { best = it.el; size = total; }
    });
    if (!best) return;
    var head = best.querySelector('.head');
    head.classList.add('flag', 'sev-' + f.severity);
    head.title = (head.title ? head.title + '\n' : '') + f.severity + ' ' + f.code + ': ' + f.message;
  });
  document.getElementById('counts').textContent = data.notices.length + ' notices · ' + data.lines.length + ' lines · ' +
      data.findings.length + ' findings · ' + (issue.repairs || []).length + ' repairs · ' + counts.review + ' to review';

  // Selection: a node lights up its source lines; a source line finds the
  // smallest thing that holds it.
  var current = null;
  function select(i, scroll) {
    var it = items[i];
    if (!it) return;
    if (current) current.classList.remove('selected');
    Array.prototype.forEach.call(document.querySelectorAll('.line.hl'), function (x) { x.classList.remove('hl'); });
    current = it.el;
    it.el.classList.add('selected');
    var first = null;
    it.spans.forEach(function (s) {
      for (var k = s[0]; k <= s[1]; k++) if (lineEls[k]) { lineEls[k].classList.add('hl'); first = first || lineEls[k]; }
    });
    if (scroll) {
      if (first) first.scrollIntoView({ block: 'center' });
      it.el.scrollIntoView({ block: 'nearest' });
    }
    history.replaceState(null, '', '#node=' + i);
  }
  function selectLine(n) {
    var best = -1, size = Infinity;
    items.forEach(function (it, i) {
      if (it.el.classList.contains('finding') || it.el.classList.contains('repair')) return;
      var hit = false, total = 0;
      it.spans.forEach(function (s) { total += s[1] - s[0] + 1; if (s[0] <= n && n <= s[1]) hit = true; });
      if (hit && total < size) { best = i; size = total; }
    });
    if (best >= 0) select(best, false);
    if (best >= 0) items[best].el.scrollIntoView({ block: 'center' });
    if (lineEls[n]) lineEls[n].classList.add('hl');
  }
  model.addEventListener('click', function (ev) {
    var t = ev.target.closest('[data-node]');
    if (t && !ev.target.closest('a')) select(+t.getAttribute('data-node'), true);
  });
  src.addEventListener('click', function (ev) {
    var t = ev.target.closest('.line');
    if (t) selectLine(+t.getAttribute('data-line'));
  });
  document.getElementById('review-only').addEventListener('change', function (ev) {
    document.body.classList.toggle('review-only', ev.target.checked);
  });
  // Keys: j / k next and previous notice, n / p next and previous finding.
  document.addEventListener('keydown', function (ev) {
    if (ev.target.tagName === 'INPUT') return;
    var list = ev.key === 'j' || ev.key === 'k' ? '.notice:not([hidden])' : ev.key === 'n' || ev.key === 'p' ? '.finding' : null;
    if (!list) return;
    var all = Array.prototype.filter.call(document.querySelectorAll(list), function (x) { return x.offsetParent !== null; });
    if (!all.length) return;
    var forward = ev.key === 'j' || ev.key === 'n', at = current ? current.closest(list) : null;
    var k = all.indexOf(at);
    var next = all[forward ? Math.min(all.length - 1, k + 1) : Math.max(0, k - 1)];
    var target = next.querySelector('[data-node]') || next;
    select(+target.getAttribute('data-node'), true);
    if (next.classList.contains('finding')) select(+next.getAttribute('data-node'), true);
  });
  // #node=N and #line=N open with a node or a line selected; #click=N and
  // #click-line=N click them, through the listeners above (the test suite
  // drives the page this way in a headless browser).
  var m = /^#(node|line|click|click-line)=(\d+)$/.exec(location.hash);
  if (m && m[1] === 'node') select(+m[2], true);
  if (m && m[1] === 'line') selectLine(+m[2]);
  var target = m && m[1] === 'click' && items[+m[2]] ? (items[+m[2]].el.querySelector('.head') || items[+m[2]].el)
             : m && m[1] === 'click-line' ? lineEls[+m[2]] : null;
  if (target) (target.querySelector('.text') || target).dispatchEvent(new MouseEvent('click', { bubbles: true }));
  document.body.setAttribute('data-ready', 'true');
})();
)JS";

/// Escapes text for HTML element content and attribute values.
std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string json_for_script(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_review_page(const std::string& name, const Issue& issue, const std::vector<LineExplanation>& lines,
                               const std::vector<Finding>& findings) {
  // The same trees the JSON writer writes: issue.json and each notice file.
  Json data = Json::object();
  data["name"] = name;
  const std::vector<OutputFile> files = render_issue(issue, Format::Json);
  const std::string issue_file = std::string("issue.") + format_extension(Format::Json);
  Json issue_tree;
  for (const OutputFile& f : files)
    if (f.name == issue_file) issue_tree = Json::parse(f.content);
  // The notice files in the order the issue lists them.
  Json notices = Json::array();
  for (const auto& entry : issue_tree["notices"])
    for (const OutputFile& f : files)
      if (f.name == entry["file"]) notices.push_back(Json::parse(f.content));
  data["issue"] = std::move(issue_tree);
  data["notices"] = notices;
  Json ls = Json::array();
  for (const LineExplanation& e : lines) ls.push_back(Json::array({e.line, e.printed, e.kind, e.rule, e.reflow, e.place}));
  data["lines"] = std::move(ls);
  Json fs = Json::array();
  for (const Finding& f : findings)
    fs.push_back({{"code", f.code}, {"severity", severity_name(f.severity)}, {"line", f.line},
                  {"docnum", f.docnum.empty() ? Json() : Json(f.docnum)}, {"message", f.message}});
  data["findings"] = std::move(fs);

  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<title>gazette review: " + html_escape(name) + "</title>\n<style>";
  page += kStyle;
  page += "</style>\n</head>\n<body>\n<header><h1>gazette review: " + html_escape(name) +
          "</h1><span class=\"counts\" id=\"counts\"></span>"
          "<label><input type=\"checkbox\" id=\"review-only\"> only what needs review</label>"
          "<span class=\"keys\">j/k notices · n/p findings</span></header>\n";
  page += "<nav id=\"notices\" aria-label=\"notices\"></nav>\n<section id=\"source\" aria-label=\"source lines\"></section>\n";
  page += "<section id=\"model\" aria-label=\"the issue as read\"></section>\n";
  page += "<script type=\"application/json\" id=\"gazette-data\">";
  page += json_for_script(compact_json(data));
  page += "</script>\n<script>";
  page += kScript;
  page += "</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace gazette
