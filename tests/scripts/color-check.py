#!/usr/bin/env python3
"""validate and diff colour their text output on a terminal, and only there.

Runs `gazette validate` and `gazette diff` with standard output on a
pseudo-terminal (--color auto, the default) and on a pipe, with NO_COLOR unset,
set, and set but empty (no-color.org: only a non-empty value turns colour off).

Usage: color-check.py GAZETTE SOURCE_DIR
Exit status 0 when every check passes, 1 when one fails.
"""
import os
import pty
import subprocess
import sys

ESC = b"\x1b["


def on_terminal(cmd, env):
    """Standard output of cmd run on a pseudo-terminal (standard error on a pipe)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    proc.wait()
    return proc.returncode, out


def on_pipe(cmd, env):
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, env=env)
    return proc.returncode, proc.stdout


def main():
    gazette, src = sys.argv[1], sys.argv[2]
    data = os.path.join(src, "tests", "data")
    commands = {
        # Two samples that have findings.
        "validate": [gazette, "validate", os.path.join(src, "samples", "county-gazette-2024-01.txt"),
                     os.path.join(src, "samples", "province-gazette-2023-05.txt")],
        "diff": [gazette, "diff", os.path.join(data, "diff", "old.txt"), os.path.join(data, "diff", "new.txt")],
    }
    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    failures = 0

    def check(what, ok):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what)
        failures += 0 if ok else 1

    for name, cmd in commands.items():
        status, plain = on_pipe(cmd, base)
        check(f"{name}: has output to colour (status {status})", len(plain) > 0 and status in (0, 1))
        check(f"{name}: no colour on a pipe", ESC not in plain)
        _, tty = on_terminal(cmd, base)
        check(f"{name}: colour on a terminal", ESC in tty)
        _, tty_no = on_terminal(cmd, dict(base, NO_COLOR="1"))
        check(f"{name}: no colour on a terminal with NO_COLOR=1", ESC not in tty_no and len(tty_no) > 0)
        _, tty_empty = on_terminal(cmd, dict(base, NO_COLOR=""))
        check(f"{name}: colour on a terminal with NO_COLOR empty", ESC in tty_empty)
        _, tty_never = on_terminal(cmd + ["--color", "never"], base)
        check(f"{name}: no colour on a terminal with --color never", ESC not in tty_never)
        # The terminal turns \n into \r\n; without colour the text is the pipe's.
        check(f"{name}: the terminal's text without colour is the pipe's",
              tty_no.replace(b"\r\n", b"\n") == plain)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
