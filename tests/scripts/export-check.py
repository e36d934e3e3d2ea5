#!/usr/bin/env python3
"""gazette export and convert -o -, read the way their users read them: the
CSV with Python's csv module (with and without --bom), the XLSX with openpyxl
(Debian's python3-openpyxl), JSON Lines with json. The facts checked are read
off samples/county-gazette-2024-01.txt by hand; the README's two export
commands run as the README prints them. The shared issue's part is skipped
with a message when ../shared is absent.

Usage: export-check.py GAZETTE SRCDIR
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

GAZETTE, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SAMPLE = os.path.join(SRC, "samples", "county-gazette-2024-01.txt")
SHARED = os.path.join(os.environ.get("GAZETTE_SHARED", os.path.join(SRC, "..", "shared")),
                      "corpus", "tumote-zuoqi-2023-02.txt")
failures = 0


def check(ok, what):
    global failures
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures += 1


def run(*args, cwd=None):
    env = dict(os.environ, GAZETTE_GRAMMARS=os.path.join(SRC, "grammars"))
    return subprocess.run([GAZETTE, *args], capture_output=True, cwd=cwd, env=env)


def csv_rows(data, bom=False):
    text = data.decode("utf-8-sig" if bom else "utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


try:
    import openpyxl
except ImportError:
    print("FAIL  python3-openpyxl is not installed (apt-get install python3-openpyxl)")
    sys.exit(1)

work = tempfile.mkdtemp()
try:
    # --- responsibilities of the county sample, as CSV --------------------
    r = run("export", "responsibilities", SAMPLE)
    check(r.returncode == 0, "export responsibilities SAMPLE exits 0")
    plain = r.stdout
    check(not plain.startswith(b"\xef\xbb\xbf"), "no byte order mark without --bom")
    check(plain.count(b"\n") == plain.count(b"\r\n") and plain.endswith(b"\r\n"), "CSV lines end in CRLF (RFC 4180)")
    rows = csv_rows(plain)
    # 责任领导/责任单位/完成时限 blocks at lines 110, 120, 134 and 152 of the sample.
    check(len(rows) == 4, f"4 responsibility rows (got {len(rows)})")
    first = rows[0] if rows else {}
    check(first.get("docnum") == "乌旗政字〔2024〕5号", "row 1: the notice 乌旗政字〔2024〕5号")
    check(first.get("marker_path") == "四、 > （一） > 1. > （1） > ①", f"row 1: marker path {first.get('marker_path')}")
    check(first.get("id") == "enclosures[0]/四/（一）/1/（1）/①", f"row 1: id {first.get('id')}")
    check(first.get("leaders") == "乔蕾" and first.get("units") == "旗农牧和科技局", "row 1: 责任领导 乔蕾, 责任单位 旗农牧和科技局")
    check(first.get("partner_units") == "旗卫生健康委员会、各苏木乡镇人民政府", "row 1: 配合单位, two units joined with 、")
    check(first.get("deadline") == "2024年6月30日前" and first.get("deadline_date") == "2024-06-30",
          "row 1: 完成时限 2024年6月30日前 = 2024-06-30")
    check(first.get("line") == "108" and first.get("text", "").startswith("2024年重点任务：完成全旗问题厕所"),
          "row 1: the item ① of line 108, its text")
    if len(rows) == 4:
        check(rows[1]["deadline"] == "常态化开展" and rows[1]["deadline_date"] == "", "row 2: 常态化开展 has no date")
        check(rows[2]["units"] == "旗住房和城乡建设局" and rows[2]["deadline_date"] == "2024-09-30",
              "row 3: 旗住房和城乡建设局 by 2024年9月底前 = 2024-09-30")
        check(rows[3]["marker_path"] == "四、 > （三）" and rows[3]["units"] == "旗生态环境分局"
              and rows[3]["deadline_date"] == "2024-12-31", "row 4: a paragraph under （三）, 2024-12-31")

    r = run("export", "responsibilities", SAMPLE, "--bom")
    check(r.stdout.startswith(b"\xef\xbb\xbf") and r.stdout[3:] == plain, "--bom: the same bytes after a BOM")
    check(csv_rows(r.stdout, bom=True) == rows, "--bom: csv reads the same rows")

    # --- the same from the folders convert and batch write ----------------
    for fmt in ("json", "yaml"):
        out = os.path.join(work, fmt, "county-gazette-2024-01")
        run("convert", SAMPLE, "--format", fmt, "-o", out, "-q")
        r = run("export", "responsibilities", out + "/")
        check(r.returncode == 0 and r.stdout == plain, f"a {fmt} folder convert wrote: the same bytes as the text")
    batch = os.path.join(work, "batch")
    run("batch", os.path.join(SRC, "samples"), "-o", batch, "-q")
    r = run("export", "responsibilities", batch)
    brows = csv_rows(r.stdout)
    own = [x for x in brows if x["issue"] == "county-gazette-2024-01"]
    check(r.returncode == 0 and own == rows, "a batch folder: the sample's rows, named by its folder")
    issues = [x["issue"] for x in brows]
    check(issues == sorted(issues) and len(set(issues)) >= 3, f"a batch folder: rows of {len(set(issues))} issues, in name order")

    # --- references and notices --------------------------------------------
    refs = csv_rows(run("export", "references", SAMPLE).stdout)
    check([(x["docnum"], x["cited"], x["line"]) for x in refs] ==
          [("乌旗政字〔2024〕5号", "巴政办发〔2022〕19号", "70"), ("乌旗政办发〔2024〕3号", "国发〔2022〕22号", "225")],
          "references: the two 文号 the sample cites, with their lines")
    r = run("export", "references", SAMPLE, "--cites", "国发(２０２２)22号")
    check([x["docnum"] for x in csv_rows(r.stdout)] == ["乌旗政办发〔2024〕3号"], "--cites folds brackets and widths")
    notices = csv_rows(run("export", "notices", SAMPLE).stdout)
    check([x["date"] for x in notices] == ["2024-01-15", "2024-01-30", "2024-02-02"], "notices: three, with their dates")

    # --- XLSX, read with openpyxl ------------------------------------------
    xlsx = os.path.join(work, "tasks.xlsx")
    r = run("export", "responsibilities", SAMPLE, "-o", xlsx)
    check(r.returncode == 0, "export -o tasks.xlsx exits 0")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["responsibilities"]
    header = [c.value for c in ws[1]]
    check(header == list(rows[0].keys()) if rows else False, "XLSX header = CSV header")
    check(all(c.font.b for c in ws[1]) and ws.freeze_panes == "A2", "XLSX header row bold and frozen")
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    check(len(values) == len(rows), f"XLSX: {len(values)} rows, as the CSV")

    def flat(v):
        if v is None:
            return ""
        if hasattr(v, "date"):
            return v.date().isoformat()
        return str(v)

    check([[flat(v) for v in row] for row in values] == [list(x.values()) for x in rows], "XLSX cells = CSV fields")
    if values:
        check(hasattr(values[0][header.index("deadline_date")], "year"), "XLSX: deadline_date is a date")
        check(values[0][header.index("line")] == 108, "XLSX: line is a number")
    again = os.path.join(work, "again.xlsx")
    env_tz = dict(os.environ, TZ="Asia/Shanghai", GAZETTE_GRAMMARS=os.path.join(SRC, "grammars"))
    subprocess.run([GAZETTE, "export", "responsibilities", SAMPLE, "-o", again], env=env_tz, check=False)
    check(open(xlsx, "rb").read() == open(again, "rb").read(), "XLSX: two runs (another TZ) give the same bytes")
    check(run("export", "responsibilities", SAMPLE).stdout == plain, "CSV: two runs give the same bytes")

    # --- JSON Lines -----------------------------------------------------------
    r = run("export", "responsibilities", SAMPLE, "--format", "jsonl")
    objs = [json.loads(x) for x in r.stdout.decode().splitlines()]
    check(len(objs) == 4 and objs[0]["partner_units"] == ["旗卫生健康委员会", "各苏木乡镇人民政府"]
          and objs[1]["deadline_date"] is None and objs[0]["line"] == 108, "JSONL: lists as arrays, null, numbers")

    # --- errors -----------------------------------------------------------------
    r = run("export", "tasks", SAMPLE)
    check(r.returncode == 2 and b"responsibilities" in r.stderr and b"references" in r.stderr,
          "an unknown table: exit 2, the tables listed")
    empty = os.path.join(work, "empty")
    os.mkdir(empty)
    r = run("export", "notices", empty)
    check(r.returncode == 3 and b"not a folder gazette wrote" in r.stderr, "a folder gazette did not write: exit 3")
    prose = os.path.join(work, "prose.txt")
    open(prose, "w").write("这不是公报。\n只是一段文字。\n")
    check(run("export", "notices", prose).returncode == 3, "a text that is no issue: exit 3")
    check(run("export", "references", SAMPLE, "--cites", "不是文号").returncode == 2, "--cites that is no 文号: exit 2")
    for out in (os.path.join(work, "no", "such", "dir", "t.csv"), os.path.join(work, "no", "t.xlsx")):
        r = run("export", "responsibilities", SAMPLE, "-o", out)
        check(r.returncode == 4 and not os.path.exists(os.path.dirname(out)),
              f"-o {os.path.basename(out)} in a missing folder: exit 4, nothing written")
    keep = os.path.join(work, "keep.csv")
    open(keep, "w").write("old")
    r = run("export", "responsibilities", empty, "-o", keep)
    check(r.returncode == 3 and open(keep).read() == "old" and os.listdir(work).count("keep.csv") == 1
          and not [f for f in os.listdir(work) if ".part-" in f], "a failed export leaves -o as it was, no temporary")

    # --- convert -o - -----------------------------------------------------------
    r = run("convert", SAMPLE, "-o", "-", "-q")
    lines = r.stdout.decode().split("\n")
    check(r.returncode == 0 and lines[-1] == "" and all(x.startswith("{") for x in lines[:-1]),
          "convert -o -: one JSON object a line")
    objs = [json.loads(x) for x in lines[:-1]]
    folder = os.path.join(work, "json", "county-gazette-2024-01")
    issue = json.load(open(os.path.join(folder, "issue.json")))
    check(objs[0].get("schema") == "gazette.issue/1" and objs[0] == issue, "line 1 is issue.json's tree")
    files = [n["file"] for n in issue["notices"]]
    check(len(objs) == 1 + len(files) and files, f"then one line per notice ({len(files)})")
    check(all(objs[1 + i] == json.load(open(os.path.join(folder, f))) for i, f in enumerate(files)),
          "each notice line is its JSON file's tree")
    check(run("convert", SAMPLE, "-o", "-", "-q").stdout == r.stdout, "convert -o -: two runs give the same bytes")
    check(not os.path.exists(os.path.join(work, "-")), "convert -o - makes no folder named -")

    # --- the README's two commands, as printed ----------------------------------
    readme = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    commands = re.findall(r"^(gazette export (?:responsibilities|references) .*)$", readme, re.M)
    check(len(commands) == 2, f"the README shows two export commands (got {len(commands)})")
    cwd = os.path.join(work, "readme")
    os.makedirs(os.path.join(cwd, "archive"))
    os.symlink(os.path.join(SRC, "samples"), os.path.join(cwd, "samples"))
    shutil.copy(SAMPLE, os.path.join(cwd, "archive"))
    have_shared = os.path.exists(SHARED)
    if have_shared:
        shutil.copy(SHARED, os.path.join(cwd, "archive"))
    env = dict(os.environ, GAZETTE_GRAMMARS=os.path.join(SRC, "grammars"),
               PATH=os.path.dirname(GAZETTE) + os.pathsep + os.environ["PATH"])
    subprocess.run(["gazette", "batch", "archive", "-o", "out/archive", "-q"], cwd=cwd, env=env, check=False)
    results = [subprocess.run(["bash", "-c", c], cwd=cwd, env=env, capture_output=True) for c in commands]
    check(all(x.returncode == 0 for x in results), "the README's commands exit 0")
    if len(commands) == 2:
        produced = [f for f in re.findall(r"-o (\S+\.xlsx)", commands[0])]
        ws = openpyxl.load_workbook(os.path.join(cwd, produced[0])).active if produced else None
        check(ws is not None and ws.max_row == 5 and ws.cell(2, header.index("units") + 1).value == "旗农牧和科技局",
              "README task (a): the workbook holds the sample's 4 responsibility rows")
        cited = csv_rows(results[1].stdout)
        if have_shared:
            check([(x["docnum"], x["line"]) for x in cited] ==
                  [("土左政办发〔2023〕40号", "3183"), ("土左政办发〔2023〕41号", "3303")]
                  and cited[0]["cited_printed"] == "呼卫健字(2022)133号",
                  "README task (b): the two notices citing 呼卫健字〔2022〕133号, one printing it (2022)")
        else:
            check(cited == [], "README task (b): no row without the shared issue")
    if not have_shared:
        print(f"skip  the shared issue's part: {SHARED} is absent")
    else:
        r = run("export", "responsibilities", SHARED)
        srows = csv_rows(r.stdout)
        check(r.returncode == 0 and len(srows) > 100, f"the shared issue: {len(srows)} responsibility rows")
        one = srows[0] if srows else {}
        # Line 129 of the shared issue: (一) 地下水取用水户排查, 责任单位 four units, 完成时限 2023年4月30日前.
        check(one.get("docnum") == "土左政字〔2023〕73号" and one.get("line") == "129"
              and one.get("marker_path") == "四、 > (一)"
              and one.get("units") == "敕勒川乳业开发区、台阁牧镇、白庙子镇、沙尔沁镇"
              and one.get("deadline_date") == "2023-04-30", "the shared issue: row 1 is (一) of line 129, its units and date")
        check(all(x["deadline_date"] == "" or re.fullmatch(r"\d{4}-\d\d-\d\d", x["deadline_date"]) for x in srows),
              "the shared issue: every deadline_date ISO 8601 or empty")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{failures} failure(s)")
    sys.exit(1)
print("export writes what spreadsheets and scripts read")
