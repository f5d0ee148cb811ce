"""Run one importer on one file in this process, under an address-space limit; print what happened.

    python -m tests.security.sheet_probe members|plan FILE [--limit-mb 512]

Prints one JSON line: `outcome` (refused / accepted / error), the refusal `messages`, the `rows` read
when accepted, `seconds` and `peak_rss_mb`. `test_sheet_imports.py` runs it in a subprocess with a
wall-clock timeout; `python -m tests.security.sheet_probe --measure` builds the probe's full-size files
and prints a table (the numbers quoted in the README's Security section).
"""

import argparse
import json
import os
import resource
import sys
import time


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konflik.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("id")


def run(kind, path):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    with open(path, "rb") as handle:
        upload = SimpleUploadedFile(os.path.basename(path), handle.read())
    if kind == "members":
        from teams import importer

        result = importer.parse_members(upload)
        if result.errors:
            return {
                "outcome": "refused",
                "messages": [[line, [str(m) for m in ms]] for line, ms in result.errors],
            }
        return {"outcome": "accepted", "rows": len(result.rows)}
    from actionplans import excel

    try:
        rows = excel.read_rows(upload)
    except ValidationError as exc:
        return {"outcome": "refused", "messages": [str(m) for m in exc.messages]}
    return {"outcome": "accepted", "rows": len([r for r in rows if any(v not in (None, "") for v in r[1])])}


def probe(kind, path, limit_mb):
    _setup()
    if limit_mb:
        limit = limit_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    started = time.monotonic()
    try:
        answer = run(kind, path)
    except MemoryError:
        answer = {"outcome": "error", "error": "MemoryError"}
    except Exception as exc:  # the probe reports any crash as such, it is what it looks for
        answer = {"outcome": "error", "error": f"{type(exc).__name__}: {exc}"[:500]}
    answer["seconds"] = round(time.monotonic() - started, 2)
    answer["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(answer))


def measure(limit_mb, timeout):
    """Build the full-size files and probe each importer on each, one subprocess per run."""
    import subprocess
    import tempfile

    from tests.security import crafted_sheets

    with tempfile.TemporaryDirectory() as folder:
        for kind in ("members", "plan"):
            for name, make in crafted_sheets.suite(kind, full=True).items():
                path = os.path.join(folder, f"{kind}-{name}.xlsx")
                with open(path, "wb") as handle:
                    handle.write(make())
                command = [sys.executable, "-m", "tests.security.sheet_probe", kind, path]
                command += ["--limit-mb", str(limit_mb)]
                started = time.monotonic()
                try:
                    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
                    line = (done.stdout.strip().splitlines() or [""])[-1]
                    answer = (
                        json.loads(line)
                        if line.startswith("{")
                        else {"outcome": f"crash rc={done.returncode}"}
                    )
                except subprocess.TimeoutExpired:
                    answer = {"outcome": f"timeout after {timeout}s"}
                answer.setdefault("seconds", round(time.monotonic() - started, 2))
                size = os.path.getsize(path)
                detail = answer.get("messages") or answer.get("error") or answer.get("rows")
                print(
                    f"{kind:8} {name:22} {size / 1024:9.1f} KB  {answer['outcome']:10} "
                    f"{answer['seconds']:7.2f} s  {answer.get('peak_rss_mb', '-')!s:>7} MB  {detail!s:.90}",
                    flush=True,
                )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", nargs="?", choices=("members", "plan"))
    parser.add_argument("path", nargs="?")
    parser.add_argument("--limit-mb", type=int, default=512)
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--timeout", type=int, default=120)
    args = parser.parse_args()
    if args.measure:
        measure(args.limit_mb, args.timeout)
    else:
        probe(args.kind, args.path, args.limit_mb)


if __name__ == "__main__":
    main()
