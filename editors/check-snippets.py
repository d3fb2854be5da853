#!/usr/bin/env python3
"""Keeps the configuration snippets in the editor READMEs identical to the files the tests load.

A README marks a snippet with a comment line followed by a fenced block:

    <!-- snippet: vim/iam_policy_lsp.vim -->
    ```vim
    ...the whole file...
    ```

(the path is relative to the README's folder). `check-snippets.py` fails if any block differs
from its file; `check-snippets.py --write` rewrites the blocks from the files. It also parses the
snippets it can (TOML, JSON with // comments) so that a broken Helix/Zed/Sublime snippet, which
no test here can load in its editor, is at least caught as a syntax error.
"""
import json
import pathlib
import re
import sys
import tomllib

EDITORS = pathlib.Path(__file__).resolve().parent
READMES = [EDITORS / "README.md", EDITORS / "neovim" / "README.md"]
MARKER = re.compile(r"^<!-- snippet: (\S+) -->$")


def blocks(lines):
    """Yields (marker index, fence start, fence end, path) for each marked snippet."""
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i])
        if m:
            start = i + 1
            if start >= len(lines) or not lines[start].startswith("```"):
                raise SystemExit(f"snippet marker for {m.group(1)} is not followed by a fenced block")
            end = start + 1
            while end < len(lines) and lines[end] != "```":
                end += 1
            yield i, start, end, m.group(1)
            i = end
        i += 1


def parse_check(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        tomllib.loads(text)
    elif path.name.endswith(".sublime-settings"):
        json.loads("\n".join(re.sub(r"^\s*//.*$", "", line) for line in text.splitlines()))


def main():
    write = "--write" in sys.argv[1:]
    problems, count = [], 0
    for readme in READMES:
        lines = readme.read_text(encoding="utf-8").split("\n")
        out, last = [], 0
        for _, start, end, rel in blocks(lines):
            path = (readme.parent / rel).resolve()
            if not path.is_file():
                problems.append(f"{readme.relative_to(EDITORS)}: {rel} does not exist")
                continue
            try:
                parse_check(path)
            except Exception as e:  # noqa: BLE001 - report any parse error
                problems.append(f"{rel}: does not parse: {e}")
            want = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
            count += 1
            if lines[start + 1:end] != want:
                problems.append(f"{readme.relative_to(EDITORS)}: the block for {rel} differs from the file")
            out += lines[last:start + 1] + want
            last = end
        out += lines[last:]
        if write and out != lines:
            readme.write_text("\n".join(out), encoding="utf-8")
            print(f"rewrote {readme.relative_to(EDITORS)}")
    if write:
        problems = [p for p in problems if "differs from the file" not in p]
    for p in problems:
        print("snippets:", p)
    print(f"snippets: {count} checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
