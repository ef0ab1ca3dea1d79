#!/usr/bin/env python3
"""A parse check for deploy/Dockerfile when hadolint is not installed: known instructions only, balanced
continuations and JSON forms, and the rules the image promises (multi-stage, non-root, a health check)."""
import json
import re
import sys

INSTRUCTIONS = {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
                "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}


def instructions(text):
    logical, lines = "", []
    for raw in text.splitlines():
        line = raw.strip()
        if not logical and (not line or line.startswith("#")):
            continue
        if logical and line.startswith("#"):
            continue
        logical += " " + line[:-1] if line.endswith("\\") else " " + line
        if not line.endswith("\\"):
            lines.append(logical.strip())
            logical = ""
    if logical:
        raise ValueError("the last instruction ends with a line continuation")
    return lines


def main(path):
    errors, stages, final_user, health = [], [], None, False
    try:
        lines = instructions(open(path, encoding="utf-8").read())
    except ValueError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    for line in lines:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword not in INSTRUCTIONS:
            errors.append(f"unknown instruction: {keyword}")
            continue
        if not stages and keyword not in ("FROM", "ARG"):
            errors.append(f"{keyword} before the first FROM")
        if keyword == "FROM":
            stages.append(rest)
            final_user, health = None, False
        if keyword == "USER":
            final_user = rest.strip()
        if keyword == "HEALTHCHECK":
            health = True
            rest = re.sub(r"--\w+(-\w+)*=\S+\s*", "", rest)
            rest = rest[len("CMD"):].strip() if rest.startswith("CMD") else rest
        if keyword in ("CMD", "ENTRYPOINT", "HEALTHCHECK") and rest.lstrip().startswith("["):
            try:
                json.loads(rest)
            except json.JSONDecodeError as error:
                errors.append(f"{keyword}: invalid JSON form ({error})")
    if len(stages) < 2:
        errors.append("not a multi-stage build")
    if final_user in (None, "root", "0"):
        errors.append("the final stage runs as root")
    if not health:
        errors.append("the final stage has no HEALTHCHECK")
    for error in errors:
        print(f"{path}: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "deploy/Dockerfile"))
