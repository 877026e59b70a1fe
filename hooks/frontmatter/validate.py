"""Validate blog posts' front matter and report each problem at its ``path:line``.

Material's blog plugin stops at the first bad post with a message that names no line; this pass
runs before it and lists every problem, one line each, with the fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hooks.errors import SourceError
from hooks.frontmatter.schema import MAX_TITLE, POST_FILENAME, REQUIRED_KEYS, SLUG, Rules

# libyaml's loader when present: parsing every post's front matter is on the build's path.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps timestamps as text, so a bad date becomes a message, not a crash."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)

_OPEN = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def _compose_and_load(source: str) -> tuple[yaml.Node | None, Any]:
    """The YAML node tree (for key lines) and its Python value, from one parse."""
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


@dataclass(frozen=True)
class FrontMatter:
    """A post's parsed front matter with the source line of every top-level key."""

    data: dict[str, Any]
    key_lines: dict[str, int]
    start_line: int  # line of the opening ---
    end_line: int  # line of the closing ---
    body: str
    body_start_line: int


def split_front_matter(path: str, text: str) -> FrontMatter:
    """Parse the YAML block between the first two ``---`` lines; raise SourceError if broken."""
    lines = text.splitlines()
    if not lines or not _OPEN.match(lines[0]):
        raise SourceError(
            path,
            1,
            "missing front matter",
            "start the file with a '---' line, the YAML keys, '---'",
        )
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        raise SourceError(path, 1, "front matter is not closed", "add a '---' line after the keys")
    source = "\n".join(lines[1:end]) + "\n"
    try:
        node, data = _compose_and_load(source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark
        line = 2 + (mark.line if mark else 0)
        problem = exc.problem or "invalid YAML"
        raise SourceError(
            path, line, f"front matter is not valid YAML ({problem})", "fix the YAML syntax"
        ) from None
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict) or (node is not None and not isinstance(node, yaml.MappingNode)):
        raise SourceError(path, 2, "front matter must be a mapping of keys to values", "")
    key_lines: dict[str, int] = {}
    if node is not None:
        for key_node, _ in node.value:
            key_lines.setdefault(str(key_node.value), 2 + key_node.start_mark.line)
    body = "\n".join(lines[end + 1 :])
    return FrontMatter(data, key_lines, 1, end + 1, body, end + 2)


def _parse_date(value: Any) -> dt.date | None:
    """A date from YYYY-MM-DD (optionally with a time, as YAML timestamps allow)."""
    if isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def _choices(options: Iterable[str]) -> str:
    return ", ".join(sorted(options))


def validate_post(path: str, text: str, rules: Rules) -> tuple[list[SourceError], dict[str, Any]]:
    """All front-matter problems of one post, and its parsed data (empty when unparsable)."""
    try:
        fm = split_front_matter(path, text)
    except SourceError as err:
        return [err], {}
    data, at = fm.data, fm.key_lines
    errors: list[SourceError] = []

    def err(key: str | None, message: str, hint: str) -> None:
        line = at.get(key, fm.start_line) if key else fm.end_line
        errors.append(SourceError(path, line, message, hint))

    for key in data:
        if key not in rules.known_keys:
            hint = (
                _suggest(str(key), rules.known_keys) or f"allowed keys: {_choices(REQUIRED_KEYS)}"
            )
            err(str(key), f"unknown front-matter key '{key}'", hint)
    for key in REQUIRED_KEYS:
        if key not in data or data[key] in (None, "", []):
            err(None, f"missing required key '{key}'", f"add '{key}:' to the front matter")

    title = data.get("title")
    if "title" in data and (not isinstance(title, str) or len(title) > MAX_TITLE):
        err("title", "title must be a single line of text", f"at most {MAX_TITLE} characters")

    desc = data.get("description")
    if isinstance(desc, str) and len(desc) > rules.max_description:
        err(
            "description",
            f"description is {len(desc)} characters long (limit {rules.max_description})",
            "shorten it: search engines cut longer descriptions",
        )
    elif "description" in data and desc is not None and not isinstance(desc, str):
        err("description", "description must be text", "quote it")

    date = data.get("date")
    filename = POST_FILENAME.match(Path(path).name)
    if "date" in data and date is not None:
        date = _parse_date(date)
        if date is None:
            err(
                "date",
                f"bad date '{data['date']}'",
                "write the publication date as YYYY-MM-DD, for example 2026-11-26",
            )
        elif filename and filename["date"] != date.isoformat():
            err(
                "date",
                f"date {date.isoformat()} does not match the file name's {filename['date']}",
                "rename the file or fix the date",
            )

    authors = data.get("authors")
    if "authors" in data and authors is not None:
        if not _is_str_list(authors):
            err("authors", "authors must be a list of author ids", "for example: [controlloop]")
        else:
            for author in authors:
                if author not in rules.authors:
                    hint = _suggest(author, rules.authors) or (
                        f"known authors: {_choices(rules.authors)}; add new ones to "
                        "docs/blog/.authors.yml"
                    )
                    err("authors", f"unknown author '{author}'", hint)

    categories = data.get("categories")
    if "categories" in data and categories is not None:
        if not _is_str_list(categories):
            err("categories", "categories must be a list", "for example: [Kubernetes]")
        else:
            for category in categories:
                if category not in rules.categories:
                    hint = _suggest(category, rules.categories)
                    hint = hint or f"allowed categories: {_choices(rules.categories)}"
                    err("categories", f"unknown category '{category}'", hint)

    tags = data.get("tags")
    if "tags" in data and tags is not None and not _is_str_list(tags):
        err("tags", "tags must be a list of words", "for example: [kind, containerd]")

    slug = data.get("slug")
    if "slug" in data and slug is not None:
        if not isinstance(slug, str) or not SLUG.match(slug):
            err("slug", f"bad slug '{slug}'", "use lowercase words joined by '-', e.g. my-post")
        elif filename and filename["slug"] != slug:
            err(
                "slug",
                f"slug '{slug}' does not match the file name's '{filename['slug']}'",
                "rename the file or fix the slug",
            )
    if not filename:
        errors.append(
            SourceError(
                path,
                1,
                "post file name must be YYYY-MM-DD-slug.md",
                "rename it, e.g. 2026-11-26-my-post.md (make new-post does this)",
            )
        )

    if rules.excerpt_separator not in fm.body:
        errors.append(
            SourceError(
                path,
                fm.body_start_line,
                f"missing excerpt marker '{rules.excerpt_separator}'",
                "put it on its own line after the opening paragraph",
            )
        )
    return errors, data


def duplicate_slugs(posts: Iterable[tuple[str, str, dict[str, Any]]]) -> list[SourceError]:
    """Errors for every post reusing a slug already taken by an earlier post (by path order).

    ``posts`` yields (path, text, data); the slug line is looked up again in the text.
    """
    seen: dict[str, str] = {}
    errors: list[SourceError] = []
    for path, text, data in sorted(posts, key=lambda p: p[0]):
        slug = data.get("slug")
        if not isinstance(slug, str):
            continue
        if slug in seen:
            line = next(
                (i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("slug:")), 1
            )
            errors.append(
                SourceError(
                    path,
                    line,
                    f"duplicate slug '{slug}' (also used by {seen[slug]})",
                    "choose a unique slug",
                )
            )
        else:
            seen[slug] = path
    return errors


def validate_posts(sources: Iterable[tuple[str, str]], rules: Rules) -> list[SourceError]:
    """Validate many posts given as (project-relative path, text); includes duplicate slugs."""
    return check_sources(sources, rules)[0]


def check_sources(
    sources: Iterable[tuple[str, str]], rules: Rules
) -> tuple[list[SourceError], dict[str, dict[str, Any]]]:
    """Every problem of many posts, and the front matter of each post (keyed by path).

    The front matter is returned so later steps (the feed) reuse this one parse.
    """
    errors: list[SourceError] = []
    parsed: list[tuple[str, str, dict[str, Any]]] = []
    for path, text in sources:
        post_errors, data = validate_post(path, text, rules)
        errors.extend(post_errors)
        parsed.append((path, text, data))
    errors.extend(duplicate_slugs(parsed))
    return sorted(errors, key=lambda e: (e.path, e.line, e.message)), {
        path: data for path, _, data in parsed
    }
