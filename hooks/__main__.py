"""``python -m hooks``: the one command line for diagrams, snippets, flame graphs and posts.

Each subcommand lives beside its capability and is imported only when invoked, so
``python -m hooks new-post`` does not pay for loading the diagram renderer.
"""

from __future__ import annotations

import importlib

import click

#: subcommand -> "module:click command object"
SUBCOMMANDS: dict[str, str] = {
    "diagrams": "hooks.diagramkit.cli:diagrams",
    "flame": "hooks.flame.cli:flame",
    "new-post": "hooks.frontmatter.newpost:new_post",
    "snippets": "hooks.snippetkit.cli:snippets",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Control Loop build tools (the same code the MkDocs hooks run)."""


if __name__ == "__main__":
    main(prog_name="python -m hooks")
