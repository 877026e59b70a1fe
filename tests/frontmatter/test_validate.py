"""One case per front-matter error kind, asserting the exact line a contributor reads."""

from __future__ import annotations

import pytest

from hooks.frontmatter import Rules, validate_post, validate_posts

RULES = Rules(authors=frozenset({"controlloop"}), categories=frozenset({"Kubernetes", "Tooling"}))
PATH = "docs/blog/posts/2026-11-26-sample-post.md"

VALID = """---
title: "A sample post"
description: "A short description."
date: 2026-11-26
authors:
  - controlloop
categories:
  - Kubernetes
tags:
  - sample
slug: sample-post
---

# A sample post

Opening paragraph.

<!-- more -->

Body.
"""


def _with(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


CASES = [
    (
        "unknown key",
        _with("tags:\n", "tagz: [x]\ntags:\n"),
        "9: unknown front-matter key 'tagz'; did you mean 'tags'?",
    ),
    (
        "missing key",
        _with('description: "A short description."\n', ""),
        "11: missing required key 'description'; add 'description:' to the front matter",
    ),
    (
        "bad date",
        _with("date: 2026-11-26", "date: 2026-02-30"),
        "4: bad date '2026-02-30'; write the publication date as YYYY-MM-DD, for example "
        "2026-11-26",
    ),
    (
        "date not a date",
        _with("date: 2026-11-26", "date: yesterday"),
        "4: bad date 'yesterday'; write the publication date as YYYY-MM-DD, for example 2026-11-26",
    ),
    (
        "date differs from file name",
        _with("date: 2026-11-26", "date: 2026-11-25"),
        "4: date 2026-11-25 does not match the file name's 2026-11-26; rename the file or fix "
        "the date",
    ),
    (
        "unknown author",
        _with("  - controlloop", "  - controloop"),
        "5: unknown author 'controloop'; did you mean 'controlloop'?",
    ),
    (
        "unknown category",
        _with("  - Kubernetes", "  - Storage"),
        "7: unknown category 'Storage'; allowed categories: Kubernetes, Tooling",
    ),
    (
        "missing excerpt marker",
        _with("<!-- more -->\n", ""),
        "13: missing excerpt marker '<!-- more -->'; put it on its own line after the opening "
        "paragraph",
    ),
    (
        "description too long",
        _with('"A short description."', '"' + "x" * 161 + '"'),
        "3: description is 161 characters long (limit 160); shorten it: search engines cut "
        "longer descriptions",
    ),
    (
        "bad slug",
        _with("slug: sample-post", "slug: Sample Post"),
        "11: bad slug 'Sample Post'; use lowercase words joined by '-', e.g. my-post",
    ),
    (
        "slug differs from file name",
        _with("slug: sample-post", "slug: other-post"),
        "11: slug 'other-post' does not match the file name's 'sample-post'; rename the file or "
        "fix the slug",
    ),
    (
        "no front matter",
        "# Title\n\ntext\n",
        "1: missing front matter; start the file with a '---' line, the YAML keys, '---'",
    ),
    (
        "categories not a list",
        _with("categories:\n  - Kubernetes", "categories: Kubernetes"),
        "7: categories must be a list; for example: [Kubernetes]",
    ),
]


def test_valid_post_has_no_errors() -> None:
    errors, data = validate_post(PATH, VALID, RULES)
    assert errors == []
    assert data["slug"] == "sample-post"


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_error_message(case: str, text: str, expected: str) -> None:
    errors, _ = validate_post(PATH, text, RULES)
    assert [str(e) for e in errors] == [f"{PATH}:{expected}"]


def test_duplicate_slug_is_reported_on_the_later_post() -> None:
    other = "docs/blog/posts/2026-11-27-sample-post.md"
    text = VALID.replace("date: 2026-11-26", "date: 2026-11-27")
    errors = validate_posts([(PATH, VALID), (other, text)], RULES)
    assert [str(e) for e in errors] == [
        f"{other}:11: duplicate slug 'sample-post' (also used by {PATH}); choose a unique slug"
    ]


def test_file_name_must_carry_date_and_slug() -> None:
    errors, _ = validate_post("docs/blog/posts/sample.md", VALID, RULES)
    assert [str(e) for e in errors] == [
        "docs/blog/posts/sample.md:1: post file name must be YYYY-MM-DD-slug.md; rename it, "
        "e.g. 2026-11-26-my-post.md (make new-post does this)"
    ]


def test_invalid_yaml_names_the_line_where_the_construct_opened() -> None:
    text = _with("tags:\n  - sample", "tags: [sample")
    errors, _ = validate_post(PATH, text, RULES)
    assert len(errors) == 1
    message = str(errors[0])
    # The parser's own words vary between libyaml and pure-Python PyYAML; the frame does not.
    assert message.startswith(f"{PATH}:9: front matter is not valid YAML (")
    assert "']'" in message
    assert message.endswith("); fix the YAML syntax")
