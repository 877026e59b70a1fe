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
    for name, files, total in (("kind", 369, 25713), ("client-go", 2377, 266561)):
        text = (data / f"{name}-cloc-by-file.csv").read_text(encoding="utf-8")
        records = parse_cloc_csv(text)
        assert len(records) == files
        assert sum(r.code for r in records) == total
        assert text.rstrip("\n").splitlines()[-1].endswith(f",{total}")
