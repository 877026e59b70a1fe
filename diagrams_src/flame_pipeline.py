"""From a repository to a code flame graph, in three steps with one file between each.

The picture exists to show where the data changes shape: cloc turns a tree of files into a
table (one row per file), folding turns the table into one line per path, and only the last
step draws. The dashed branch is the circulating shell one-liner, labelled with the two places
where it silently loses or invents lines with current cloc.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.onprem.vcs import Git
from diagrams.programming.flowchart import (
    Display,
    Document,
    MultipleDocuments,
    PredefinedProcess,
)
from diagrams.programming.language import Bash, Python

TRAP = "firebrick"

with Diagram("Repository to flame graph", direction="LR"):
    repo = Git("git clone --depth 1\n(the checkout)")

    with Cluster("1. count"):
        cloc = PredefinedProcess("cloc --by-file --csv\n--quiet --hide-rate")
        table = Document("per-file table\nlanguage,filename,\nblank,comment,code\n+ SUM row")

    with Cluster("2. fold"):
        fold = Python("find header by content\ndrop SUM, strip ./\nsplit path on /")
        folded = MultipleDocuments("folded stacks\npkg;cluster;kind.go 120")

    with Cluster("3. draw"):
        draw = Python("merge prefixes\nwidth = code lines\ndepth = directories")
        svg = Display("interactive SVG\nhover, zoom, search")

    with Cluster("the circulating one-liner"):
        # Graphviz reads a backslash as an escape: four here print one in the label.
        oneliner = Bash("sed '1,2d'\n| cut -f 2,5\n| sed 's/\\\\//;/g'")
        flamegraph_pl = Bash("flamegraph.pl")

    repo >> Edge(label="--vcs=git or\n--exclude-dir=vendor") >> cloc >> table
    table >> Edge(label="csv module") >> fold >> folded
    folded >> draw >> svg

    (
        table
        >> Edge(
            label="cloc >= 1.94: deletes the largest file\nSUM row: root counted twice",
            color=TRAP,
            fontcolor=TRAP,
            style="dashed",
        )
        >> oneliner
        >> flamegraph_pl
    )
    folded >> Edge(label="or feed the\nfolded file", style="dotted") >> flamegraph_pl
