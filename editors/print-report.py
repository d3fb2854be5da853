#!/usr/bin/env python3
"""Prints the JSON report an editor test wrote (one line per check, skipped checks, errors);
exits 0 only if the report says ok: true."""
import json
import sys

r = json.load(open(sys.argv[1], encoding="utf-8"))
info = {k: r[k] for k in ("nvim", "emacs", "eglot", "vim", "ale", "offset_encoding", "first_diagnostics_ms") if k in r}
print("   ", ", ".join(f"{k}={v}" for k, v in info.items()))
for c in r.get("checks") or []:
    mark = "ok  " if c["ok"] is True else "FAIL"
    detail = "" if c["ok"] is True else " -- got " + json.dumps(c.get("detail"), ensure_ascii=False)
    print(f"    {mark} {c['what']}{detail}")
for s in r.get("skipped") or []:
    print(f"    SKIPPED {s}")
if r.get("error"):
    print(f"    error: {r['error']}")
for m in r.get("messages") or []:
    print(f"    message: {m}")

sys.exit(0 if r.get("ok") is True else 1)
