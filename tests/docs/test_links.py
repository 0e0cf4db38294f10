"""Link check of the project's Markdown (standard library + pytest only; no network).

For README.md, docs/*.md and every other *.md of the repository (outside .git, target, node_modules, .venv*
and anything .gitignore ignores):
  - every relative link, `[x](path)` or `[x](path#anchor)` (images and reference definitions too), resolves to
    a file or directory of the repository, and an `#anchor` matches a heading of the target, slugged as GitHub
    does (lower-case; spaces become '-'; punctuation other than '-' and '_' is dropped; repeats get -1, -2...);
  - every http(s) link is well formed (never fetched);
  - links inside code spans and fenced code blocks are text, not links, and are not followed.
Also: README.md is at most 250 lines, and no tracked Markdown file mentions DESIGN.md or ../shared.

    python3 -m pytest -q tests/docs
"""
from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".git", "target", "node_modules"}
README_MAX_LINES = 250
FORBIDDEN_MENTIONS = ("DESIGN.md", "../shared")


# ---------------------------------------------------------------------------------------------------------------
# Which files
# ---------------------------------------------------------------------------------------------------------------

def _skipped(relative: Path) -> bool:
    return any(part in SKIPPED_DIRS or part.startswith(".venv") for part in relative.parts[:-1])


def _git_markdown(*args: str) -> list[Path] | None:
    try:
        out = subprocess.run(["git", "ls-files", "-z", *args, "--", "*.md"], cwd=REPO, capture_output=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [Path(p) for p in out.decode("utf-8").split("\0") if p]


def markdown_files() -> list[Path]:
    """Tracked and untracked-but-not-ignored *.md (so a new doc is checked before its first commit)."""
    found = _git_markdown("--cached", "--others", "--exclude-standard")
    if found is None:  # not a git checkout: walk the tree
        found = []
        for root, dirs, files in os.walk(REPO):
            rel_root = Path(root).relative_to(REPO)
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".venv")]
            found += [rel_root / f for f in files if f.endswith(".md")]
    return sorted({p for p in found if not _skipped(p) and (REPO / p).is_file()})


def tracked_markdown_files() -> list[Path]:
    tracked = _git_markdown("--cached")
    return markdown_files() if tracked is None else sorted(p for p in tracked if (REPO / p).is_file())


# ---------------------------------------------------------------------------------------------------------------
# Markdown, as far as links and headings go
# ---------------------------------------------------------------------------------------------------------------

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
# [text](target) or ![alt](target); target may be <...>; an optional "title" follows.
INLINE_LINK = re.compile(r"!?\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*(?P<target><[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
                         r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*(?P<target><[^>\n]*>|\S+)", re.M)
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
HTML_ANCHOR = re.compile(r"<a\s[^>]*\b(?:name|id)\s*=\s*[\"']([^\"']+)[\"']", re.I)


def prose_lines(text: str) -> list[str]:
    """The lines of the file with fenced code blocks blanked (line numbers are kept)."""
    lines = text.split("\n")
    out, fence = [], None
    for line in lines:
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            out.append("")
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):].strip():
                fence = None
            out.append("")
        else:
            out.append(line)
    return out


def without_code_spans(line: str) -> str:
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def links(text: str) -> list[tuple[int, str]]:
    """(line number, target) of every link outside code."""
    found = []
    lines = prose_lines(text)
    for number, line in enumerate(lines, 1):
        line = without_code_spans(line)
        for m in INLINE_LINK.finditer(line):
            found.append((number, m.group("target")))
    for m in REFERENCE_DEFINITION.finditer("\n".join(without_code_spans(l) for l in lines)):
        number = "\n".join(lines)[:m.start()].count("\n") + 1
        found.append((number, m.group("target")))
    return [(n, t[1:-1] if t.startswith("<") and t.endswith(">") else t) for n, t in found]


def heading_text(raw: str) -> str:
    """What GitHub renders from a heading's Markdown, which is what it slugs."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", raw)  # links and images: their text
    text = CODE_SPAN.sub(lambda m: m.group(2).strip() if m.group(2).strip() else m.group(2), text)
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = re.sub(r"(\*+|(?<![\w])_+|_+(?![\w]))", "", text)  # emphasis markers, not intra-word underscores
    return text.strip()


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower-case, drop punctuation but '-' and '_', each space to '-'."""
    kept = []
    for ch in heading_text(heading).lower():
        if ch == " ":
            kept.append("-")
        elif ch in "-_" or unicodedata.category(ch)[0] in "LNM":
            kept.append(ch)
    return "".join(kept)


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    result = set(m.group(1) for m in HTML_ANCHOR.finditer(text))
    lines = prose_lines(text)
    for i, line in enumerate(lines):
        heading = None
        m = ATX_HEADING.match(line)
        if m:
            heading = m.group(2) or ""
        elif i > 0 and SETEXT_UNDERLINE.match(line) and lines[i - 1].strip() \
                and not ATX_HEADING.match(lines[i - 1]) and not lines[i - 1].lstrip().startswith(("|", "-", "*", ">")):
            heading = lines[i - 1].strip()
        if heading is None:
            continue
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


# ---------------------------------------------------------------------------------------------------------------
# Checking one link
# ---------------------------------------------------------------------------------------------------------------

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
LINE_ANCHOR = re.compile(r"^L\d+(C\d+)?(-L\d+(C\d+)?)?$")


def external_problem(target: str) -> str | None:
    try:
        parts = urlsplit(target)
        parts.port  # raises ValueError on a bad port
    except ValueError as e:
        return f"malformed URL ({e})"
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme!r} is not http(s)"
    if not parts.hostname or re.search(r"\s", target) or not re.fullmatch(r"[A-Za-z0-9.-]+", parts.hostname) \
            or parts.hostname.startswith((".", "-")) or ".." in parts.hostname:
        return "malformed URL (no valid host)"
    return None


def link_problem(source: Path, target: str) -> str | None:
    if not target:
        return "empty link target"
    if target.startswith("//"):
        return "protocol-relative URL"
    if SCHEME.match(target):
        if target.lower().startswith("mailto:"):
            return None if re.fullmatch(r"mailto:[^@\s]+@[^@\s]+\.[^@\s]+", target, re.I) else "malformed mailto"
        return external_problem(target)

    path_part, _, anchor = target.partition("#")
    path_part = unquote(path_part.split("?", 1)[0])
    anchor = unquote(anchor)
    if path_part:
        base = REPO if path_part.startswith("/") else (REPO / source).parent
        resolved = (base / path_part.lstrip("/")).resolve()
        try:
            resolved.relative_to(REPO)
        except ValueError:
            return f"{path_part} points outside the repository"
        if not resolved.exists():
            return f"{path_part} does not exist"
    else:
        resolved = REPO / source
    if not anchor:
        return None
    if resolved.is_dir():
        return f"#{anchor} on a directory"
    if resolved.suffix.lower() in (".md", ".markdown"):
        known = anchors(resolved.read_text(encoding="utf-8"))
        if anchor not in known:
            return f"#{anchor} is not a heading of {resolved.relative_to(REPO)}"
        return None
    if LINE_ANCHOR.match(anchor):
        return None
    return f"#{anchor} on a file that is not Markdown"


# ---------------------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------------------

FILES = markdown_files()


def test_the_files_checked_include_the_readme_and_the_docs():
    names = {p.as_posix() for p in FILES}
    assert "README.md" in names
    assert any(n.startswith("docs/") for n in names), "no docs/*.md found"


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.as_posix())
def test_every_link_resolves(source: Path):
    text = (REPO / source).read_text(encoding="utf-8")
    broken = [f"{source}:{line}: ({target}) {problem}"
              for line, target in links(text)
              if (problem := link_problem(source, target)) is not None]
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_readme_is_short():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; at most {README_MAX_LINES}"


@pytest.mark.parametrize("source", tracked_markdown_files(), ids=lambda p: p.as_posix())
def test_no_mention_of_files_outside_the_repository(source: Path):
    text = (REPO / source).read_text(encoding="utf-8")
    hits = [f"{source}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
            if any(word in line for word in FORBIDDEN_MENTIONS)]
    assert not hits, "mentions of files outside the repository:\n" + "\n".join(hits)


# The checker itself, on known cases.

@pytest.mark.parametrize("heading, expected", [
    ("The two commands", "the-two-commands"),
    ("Audit of the table's stream (`EnableStreams=true`)", "audit-of-the-tables-stream-enablestreamstrue"),
    ("5. Cost per month (us-east-1, list prices, no free tier)", "5-cost-per-month-us-east-1-list-prices-no-free-tier"),
    ("`POST /token/refresh`", "post-tokenrefresh"),
    ("snake_case and kebab-case", "snake_case-and-kebab-case"),
    ("A [link](x.md) in a heading", "a-link-in-a-heading"),
    ("Sessions: rotation & reuse", "sessions-rotation--reuse"),
    ("Überblick", "überblick"),
])
def test_slug_follows_github(heading, expected):
    assert slug(heading) == expected


def test_repeated_headings_get_numbered_anchors():
    assert {"notes", "notes-1", "notes-2"} <= anchors("# Notes\n\n## Notes\n\nNotes\n-----\n")


def test_links_in_code_are_not_links():
    text = "a [real](docs/x.md) and `[code](nowhere.md)`\n\n```\n[fenced](nowhere.md)\n```\n[ref]: other.md\n"
    assert links(text) == [(1, "docs/x.md"), (6, "other.md")]


@pytest.mark.parametrize("target, ok", [
    ("https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html", True),
    ("http://localhost:8080/me", True),
    ("https://github.com/getmoto/moto", True),
    ("https:///no-host", False),
    ("https://exa mple.com", False),
    ("ftp://example.com/file", False),
    ("https://example.com:99999/", False),
])
def test_external_links_are_only_checked_for_form(target, ok):
    assert (external_problem(target) is None) == ok
