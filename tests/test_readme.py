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


def test_schema_tables_are_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location("readme_schema", ROOT / "scripts" / "readme_schema.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.render(README) == README, "run scripts/readme_schema.py"
