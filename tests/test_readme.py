"""The README's promises: the two commands first, every column with its Chinese name."""

from geo.schema import PARCEL_COLUMNS, PARK_COLUMNS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_two_commands_open_the_readme():
    head = "\n".join(README.splitlines()[:10])
    assert "make run" in head and "make test" in head


def test_schema_table_lists_every_column_and_alias():
    for c in (*PARCEL_COLUMNS, *PARK_COLUMNS):
        assert f"`{c.name}`" in README, c.name
        assert c.zh in README, c.zh
        for alias in c.aliases:
            assert alias in README, alias
