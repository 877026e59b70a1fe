"""From a repository to a code flame graph: count, fold, draw, with one text file between steps.

The picture exists to show where the data changes shape: cloc turns a tree of files into a
table (one row per file), folding turns the table into one line per path, and only the last
step draws. The files between the steps are edge labels, which keeps the picture four ranks
wide and legible at page width. The lower branch is the circulating shell one-liner, labelled
with the two places where it silently loses or invents lines with current cloc.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.onprem.vcs import Git
from diagrams.programming.flowchart import Display, PredefinedProcess
from diagrams.programming.language import Bash, Python

TRAP = "firebrick"

with Diagram("Repository to flame graph", direction="LR"):
    repo = Git("the checkout\ngit clone --depth 1")

    with Cluster("count, fold, draw (what this site runs)"):
        cloc = PredefinedProcess("1. count\ncloc --by-file --csv\n--quiet --hide-rate")
        fold = Python("2. fold\nheader found by content\nSUM dropped, ./ stripped")
        svg = Display("3. draw\nwidth = code lines\ndepth = directories")

    with Cluster("the circulating one-liner"):
        # Graphviz reads a backslash as an escape: four here print one in the label.
        oneliner = Bash("sed '1,2d' | cut -f 2,5\n| sed 's/\\\\//;/g'")
        flamegraph_pl = Bash("flamegraph.pl")

    repo >> Edge(label="--vcs=git or\n--exclude-dir=vendor") >> cloc
    cloc >> Edge(label="per-file table\nlanguage,filename,\nblank,comment,code\n+ SUM row") >> fold
    fold >> Edge(label="folded stacks\npkg;cluster;kind.go 120") >> svg

    (
        cloc
        >> Edge(
            label="cloc >= 1.94: deletes the largest file\nSUM row: root counted twice",
            color=TRAP,
            fontcolor=TRAP,
            style="dashed",
        )
        >> oneliner
        >> flamegraph_pl
    )
    fold >> Edge(label="or feed it the\nfolded stacks", style="dotted") >> flamegraph_pl
