"""From a repository to a code flame graph: count, fold, draw, with one text file between steps.

The picture exists to show where the data changes shape: cloc turns a tree of files into a
table (one row per file), folding turns the table into one line per path, and only the last
step draws. The files between the steps are edge labels; the sample folded line is a real one
from the kind table on the same page (``pkg/cluster/provider.go``, 209 lines of code). The
right-hand branch is the circulating shell one-liner, labelled with the two places where it
silently loses or invents lines with current cloc. Top to bottom, two columns, so every label
stays legible at the page's width.
"""

from _style import icon, step
from diagrams import Diagram, Edge
from diagrams.onprem.vcs import Git
from diagrams.programming.language import Bash, Python

TRAP = "firebrick"
TEXT = {"fontsize": "14"}

with Diagram(
    "Repository to flame graph",
    direction="TB",
    graph_attr={"label": "", "ranksep": "0.45", "nodesep": "0.9", "splines": "spline"},
    node_attr=TEXT,
    edge_attr=TEXT,
):
    repo = icon(Git, "the checkout\ngit clone --depth 1")
    cloc = step("1. count\ncloc --by-file --csv\n--quiet --hide-rate")
    fold = icon(Python, "2. fold\nheader found by content,\nSUM dropped, ./ stripped")
    svg = step("3. draw\nwidth = code lines\ndepth = directories")
    # An icon's label is HTML-like (_style.icon): a backslash is printed as it is.
    oneliner = icon(Bash, "the one-liner\nsed '1,2d' | cut -f 2,5\n| sed 's/\\//;/g'")
    flamegraph_pl = icon(Bash, "flamegraph.pl")

    repo >> Edge(label="--vcs=git or\n--exclude-dir=vendor") >> cloc
    cloc >> Edge(label="per-file table:\nlanguage,filename,\nblank,comment,code\n+ SUM row") >> fold
    fold >> Edge(label="folded stacks:\npkg;cluster;\nprovider.go 209") >> svg
    (
        cloc
        >> Edge(
            label="cloc >= 1.94: deletes\nthe largest file;\nSUM row: root\ncounted twice",
            color=TRAP,
            fontcolor=TRAP,
            style="dashed",
        )
        >> oneliner
        >> flamegraph_pl
    )
    fold >> Edge(label="or the folded\nstacks", style="dotted") >> flamegraph_pl
