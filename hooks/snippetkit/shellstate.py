"""Shell state that survives between sandboxed runs: variables, functions, current directory.

Every shell run is a fresh ``bash`` in the sandbox (about 2 ms), so "the environment carries
over" is done by hand: the script first replays the state saved by the previous run, and an
EXIT trap prints the new state after a marker line on stdout, which we cut off again. Only
variables the user created or exported are saved (bash's own variables are left alone).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

MARK = "\x1f__control_loop_shell_state__\x1f"

_PROLOGUE = r"""__cl_builtin=" $(compgen -v | tr '\n' ' ') "
__cl_save() {
  printf '\n%s\n' "$__CL_MARK"
  local __cl_v
  for __cl_v in $(compgen -v); do
    case "$__cl_builtin" in *" $__cl_v "*) continue ;; esac
    case "$__cl_v" in __cl_*|__CL_*|FUNCNAME|BASH_*|PIPESTATUS|_) continue ;; esac
    declare -p "$__cl_v" 2>/dev/null
  done
  export -p
  for __cl_v in $(compgen -A function); do
    case "$__cl_v" in __cl_*) ;; *) declare -f "$__cl_v" ;; esac
  done
  printf 'cd -- %q 2>/dev/null\n' "$PWD"
}
trap '__cl_status=$?; __cl_save >&4; exit $__cl_status' EXIT
"""


@dataclass
class ShellState:
    """The replayable state of one session's shell (bash source text)."""

    script: str = ""

    def wrap(self, code: str, *, merge_stderr: bool) -> str:
        """The full bash script: replay the state, set the trap, then the author's code."""
        parts = [
            f"__CL_MARK={shlex.quote(MARK)}",
            "exec 4>&1",
            _PROLOGUE,
            "{\n" + self.script + "\n} >/dev/null 2>&1" if self.script.strip() else "",
            "exec 2>&1" if merge_stderr else "",
            code,
        ]
        return "\n".join(p for p in parts if p)

    def take(self, stdout: str) -> str:
        """Cut the saved state off ``stdout``, remember it, and return the author's output."""
        cut = stdout.rfind("\n" + MARK + "\n")
        if cut < 0:
            return stdout
        state = stdout[cut + len(MARK) + 2 :]
        self.script = state
        return stdout[:cut]
