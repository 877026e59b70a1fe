"""Related posts by shared tags (hooks/postnav.py): most shared first, ties newest first."""

from __future__ import annotations

from types import SimpleNamespace

from hooks.postnav import related


def _post(name: str, *tags: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, meta={"tags": list(tags)})


def test_related_posts_share_tags_most_first_then_newest() -> None:
    newest_first = [
        _post("d", "kind", "CRD"),
        _post("c", "client-go"),
        _post("b", "client-go", "CRD", "controllers"),
        _post("a", "crd"),
    ]
    me = _post("me", "CRD", "client-go", "controllers")
    names = [p.name for p in related(me, [*newest_first, me])]
    assert names == [
        "b",
        "d",
        "c",
    ]  # b shares 3; d, c and a share 1 (case-insensitive), newest first


def test_no_shared_tag_no_related_post_and_never_itself() -> None:
    me = _post("me", "DNS")
    assert related(me, [me, _post("x", "kind")]) == []
    assert related(me, [me]) == []
