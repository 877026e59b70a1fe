"""Parsing cloc tables: the traps that break the well-known one-liner, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.flame import FlameError
from hooks.flame.count import FileCount, normalise_path, parse_cloc_csv, read_cloc_csv
from tests.flame.conftest import ROWS, TOTAL, cloc_table

EXPECTED = [FileCount(path[2:], lang, code) for lang, path, _b, _c, code in ROWS]


def test_current_cloc_table_keeps_the_largest_file_and_drops_sum() -> None:
    text = cloc_table()
    records = parse_cloc_csv(text)
    assert records == EXPECTED
    # the one-liner's `sed '1,2d'` would have removed the header AND the largest file
    assert records[0] == FileCount("pkg/cluster/config.go", "Go", 588)
    assert sum(r.code for r in records) == TOTAL


def test_blank_line_before_header_as_cloc_1_82_printed_it() -> None:
    old = '"http://cloc.sourceforge.net v 1.82  T=0.05 s (100.0 files/s, 17000.0 lines/s)"'
    records = parse_cloc_csv(cloc_table(blank_before_header=True, version_field=old))
    assert records == EXPECTED


@pytest.mark.parametrize("sum_delimiter", ["\t", ","], ids=["sum-tab-since-597", "sum-comma"])
def test_tab_delimited_table_drops_sum_row_whatever_its_delimiter(sum_delimiter: str) -> None:
    text = cloc_table(delimiter="\t", sum_delimiter=sum_delimiter)
    assert "SUM" in text.splitlines()[-1]
    records = parse_cloc_csv(text)
    assert records == EXPECTED
    assert all(not r.path.startswith("SUM") and r.language != "SUM" for r in records)


def test_custom_delimiter_and_columns_found_by_name() -> None:
    text = (
        "filename|language|code|blank|comment\n"
        "./a/b.go|Go|7|0|0\n"
        "./c.py|Python|3|1|1\n"
        "SUM||10|1|1\n"
    )
    assert parse_cloc_csv(text) == [FileCount("a/b.go", "Go", 7), FileCount("c.py", "Python", 3)]


def test_quoted_file_name_with_delimiter_and_bom() -> None:
    text = '\ufefflanguage,filename,blank,comment,code\nText,"./docs/a,b.txt",0,0,4\nSUM,,0,0,4\n'
    assert parse_cloc_csv(text) == [FileCount("docs/a,b.txt", "Text", 4)]


def test_leading_dot_slash_is_stripped_once_or_more() -> None:
    assert normalise_path("./pkg/a.go") == "pkg/a.go"
    assert normalise_path("././a.go") == "a.go"
    assert normalise_path("pkg/./a.go") == "pkg/./a.go"  # only a leading ./ is cloc's


def test_not_a_cloc_table_gives_one_clear_message() -> None:
    with pytest.raises(FlameError) as exc:
        parse_cloc_csv("name,size\nx,1\n", origin="sizes.csv")
    assert str(exc.value) == (
        "sizes.csv: not a cloc --by-file CSV table (no header line starting with "
        "'language,filename,blank,comment,code'); produce one with "
        "`cloc --by-file --csv --quiet --hide-rate DIR > table.csv`"
    )


def test_per_language_table_is_named_as_such() -> None:
    text = 'files,language,blank,comment,code,"github.com/AlDanial/cloc v 1.96"\n3,Go,1,2,30\n'
    with pytest.raises(FlameError, match=r"t\.csv: this is cloc's per-language table"):
        parse_cloc_csv(text, origin="t.csv")


def test_bad_code_column_names_the_line() -> None:
    text = "language,filename,blank,comment,code\nGo,./a.go,0,0,12\nGo,./b.go,0,0,many\n"
    with pytest.raises(FlameError) as exc:
        parse_cloc_csv(text, origin="t.csv")
    assert str(exc.value) == "t.csv:3: the code column holds 'many', not a number"


def test_short_row_names_the_line() -> None:
    with pytest.raises(FlameError, match=r"^t\.csv:2: expected at least 5 fields"):
        parse_cloc_csv("language,filename,blank,comment,code\nGo,./a.go\n", origin="t.csv")


def test_read_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FlameError, match=r"^nope\.csv: cannot read"):
        read_cloc_csv(tmp_path / "nope.csv", origin="nope.csv")


def test_committed_tables_match_their_sum_rows() -> None:
    """The committed data: every file counted once, the root equals cloc's own SUM."""
    data = Path(__file__).resolve().parents[2] / "docs" / "assets" / "data"
    tables = (
        ("kind", 369, 25713),
        ("client-go", 2377, 266561),
        ("kubernetes-staging", 8645, 1924090),
    )
    for name, files, total in tables:
        text = (data / f"{name}-cloc-by-file.csv").read_text(encoding="utf-8")
        records = parse_cloc_csv(text)
        assert len(records) == files
        assert sum(r.code for r in records) == total
        assert text.rstrip("\n").splitlines()[-1].endswith(f",{total}")


# --------------------------------------------------------------------------- issue 17 input cases


def test_unquoted_delimiter_in_a_file_name_is_folded_back_into_the_name() -> None:
    # what cloc 1.96 and 2.10 print for a file named `a,b.py` (no quoting)
    text = (
        'language,filename,blank,comment,code,"github.com/AlDanial/cloc v 2.10"\n'
        "Python,./cmd/a,b.py,0,0,7\n"
        "Python,./x,y,z.py,1,2,3\n"
        "Go,./main.go,0,0,5\n"
        "SUM,,1,2,15\n"
    )
    assert parse_cloc_csv(text) == [
        FileCount("cmd/a,b.py", "Python", 7),
        FileCount("x,y,z.py", "Python", 3),
        FileCount("main.go", "Go", 5),
    ]


def test_rows_that_disagree_with_the_sum_row_are_an_error_naming_both() -> None:
    text = cloc_table().replace(f"SUM,,55,91,{TOTAL}", "SUM,,55,91,900")
    with pytest.raises(FlameError) as exc:
        parse_cloc_csv(text, origin="t.csv")
    assert str(exc.value) == (
        "t.csv:7: the rows add up to 820 code lines but cloc's SUM row says 900; the table is "
        "incomplete or was edited (count it again with "
        "`cloc --by-file --csv --quiet --hide-rate DIR`)"
    )


def test_sum_row_with_commas_in_a_tab_table_is_checked_too() -> None:
    text = cloc_table(delimiter="\t", sum_delimiter=",").replace(f",{TOTAL}", ",1")
    with pytest.raises(FlameError, match="says 1;"):
        parse_cloc_csv(text, origin="t.csv")


def test_by_file_by_lang_stops_at_the_sum_row() -> None:
    # `cloc --by-file-by-lang --csv --quiet --hide-rate .` (1.96): the per-language table follows
    text = cloc_table() + (
        'files,language,blank,comment,code,"github.com/AlDanial/cloc v 1.96"\n'
        "3,Go,52,91,716\n1,YAML,0,0,74\n1,Markdown,3,0,30\nSUM,,55,91,820\n"
    )
    assert parse_cloc_csv(text) == EXPECTED


def test_a_second_header_ends_the_table_without_a_sum_row() -> None:
    text = (
        "language,filename,blank,comment,code\nGo,./a.go,0,0,12\n"
        "files,language,blank,comment,code\n1,Go,0,0,12\n"
    )
    assert parse_cloc_csv(text) == [FileCount("a.go", "Go", 12)]


def test_common_absolute_prefix_is_stripped() -> None:
    # `cloc --by-file --csv --quiet --hide-rate /home/me/src/demo`
    text = (
        "language,filename,blank,comment,code\n"
        "Go,/home/me/src/demo/pkg/a.go,0,0,9\n"
        "Go,/home/me/src/demo/pkg/sub/b.go,0,0,4\n"
        "Markdown,/home/me/src/demo/README.md,0,0,2\n"
        "SUM,,0,0,15\n"
    )
    assert [r.path for r in parse_cloc_csv(text)] == ["pkg/a.go", "pkg/sub/b.go", "README.md"]
    one = "language,filename,blank,comment,code\nGo,/srv/x/main.go,0,0,1\n"
    assert [r.path for r in parse_cloc_csv(one)] == ["main.go"]
    # a shared name start is not a shared directory: /a/b and /a/bc keep b/ and bc/
    split = "language,filename,blank,comment,code\nGo,/a/b/x.go,0,0,1\nGo,/a/bc/y.go,0,0,1\n"
    assert [r.path for r in parse_cloc_csv(split)] == ["b/x.go", "bc/y.go"]


def test_header_found_after_any_amount_of_progress_output() -> None:
    progress = "".join(f"{n:8d} text files.\r" * 3 + "\n" for n in range(40))
    assert parse_cloc_csv(progress + "\n" + cloc_table()) == EXPECTED
    by_language = (
        'files,language,blank,comment,code,"github.com/AlDanial/cloc v 1.96"\n3,Go,1,2,30\n'
    )
    with pytest.raises(FlameError, match="per-language table"):
        parse_cloc_csv(progress + by_language, origin="t.csv")


def test_empty_file_name_names_the_line() -> None:
    text = "language,filename,blank,comment,code\nGo,./a.go,0,0,1\nGo,./,0,0,2\nSUM,,0,0,3\n"
    with pytest.raises(FlameError) as exc:
        parse_cloc_csv(text, origin="t.csv")
    assert str(exc.value) == "t.csv:3: empty file name"
