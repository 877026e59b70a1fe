"""What a check block's badge claims: never a schema check the validators did not make."""

from __future__ import annotations

from hooks import validators
from hooks.snippetkit.display import view
from hooks.snippetkit.parse import parse_page

F = "```"
KUBELET = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: 50\n"
KUBEADM = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"
    "spec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n"
)
KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n"


def _view(yaml_text: str):
    page = parse_page(f'{F}yaml test="check"\n{yaml_text}{F}\n', "docs/p.md")
    (block,) = page.blocks
    notes = validators.ValidationContext()
    assert validators.check_block("yaml", block.text, notes) == []  # the block passes
    return view(block, None, current=False), notes.notes


def test_a_configuration_file_is_validated_as_yaml_only() -> None:
    shown, notes = _view(KUBELET)
    assert notes, "the validator itself says it checked YAML only"
    assert shown.badge == "validated · YAML only"
    assert "KubeletConfiguration (read by the kubelet)" in shown.detail
    assert "checked as YAML only" in shown.detail


def test_an_api_object_next_to_one_keeps_its_badge_and_names_the_other() -> None:
    shown, _ = _view(SERVICE + "---\n" + KUBEADM)
    assert shown.badge == "validated"
    assert "ClusterConfiguration" in shown.detail and "checked as YAML only" in shown.detail


def test_api_objects_and_a_kubeconfig_are_checked_against_types() -> None:
    for text in (SERVICE, KUBECONFIG):
        shown, notes = _view(text)
        assert notes == []
        assert shown.badge == "validated"
        assert "YAML only" not in shown.detail


def test_hostile_yaml_gives_no_claim_and_no_crash() -> None:
    for text in ("[" * 100_000 + "\n", "a: &a [*a]\n", "key: [unclosed\n"):
        page = parse_page(f'{F}yaml test="check"\n{text}{F}\n', "docs/p.md")
        (block,) = page.blocks
        assert view(block, None, current=False).badge == "validated"
