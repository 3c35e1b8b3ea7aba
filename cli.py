"""
Batch commands: ``python -m geo <command> …``.

Every command reads with ``geo.io``, computes with the analysis modules and
writes by the output's extension (``.csv``/``.xlsx`` without geometry,
``.geojson``/``.gpkg``/``.parquet`` with it). Bad input exits with status 2 and
one line on stderr saying what was wrong.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

EXIT_BAD_INPUT = 2
#: The shipped illustrative constraint layers; a workspace's own ``constraints/`` replace them layer by layer.
DEFAULT_CONSTRAINTS = Path(__file__).resolve().parent / "data" / "constraints"
DEFAULT_PARKS_FILE = Path(__file__).resolve().parent / "data" / "parks.geojson"
PARKS_HELP = ("parks file (default: the workspace's parks in force — PostGIS's with GXLAND_DATABASE_URL, "
              "its parks.geojson, or data/parks.geojson)")


def _workspace_root() -> Path:
    import os

    return Path(os.environ.get("GXLAND_WORKSPACE", "workspace"))


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _columns(value: str):
    return "all" if value.strip() == "all" else [c.strip() for c in value.split(",") if c.strip()]


def _write(df, args, table: str, parks=None) -> None:
    from reports import tables

    tables.write(df, args.output, lang=args.lang, codes=args.codes, parks=parks, table=table,
                 columns=args.columns if args.output.suffix.lower() in (".xlsx", ".csv") else (args.columns or "all"))
    if args.output.suffix.lower() == ".xlsx" and len(df) > tables.EXCEL_MAX_ROWS - 1:
        import words

        sep = "、" if args.lang == "zh" else ", "
        titles = tables.xlsx_sheet_titles(tables.sheet_name(table, args.lang), len(df))
        print(words.text("export_sheets_split", args.lang, n=f"{len(df):,}", limit=f"{tables.EXCEL_MAX_ROWS - 1:,}",
                         sheets=len(titles), titles=sep.join(titles)), file=sys.stderr)


def _say(key: str, lang: str, **fmt) -> None:
    import words

    print(words.text(key, lang, **fmt))


def _print_table(df: pd.DataFrame, title: str, lang: str = "zh") -> None:
    """A summary table: rows named in words (first column), headers with units."""
    import words

    shown = df.rename(columns=words.headers(df.columns, lang))
    print(f"\n{title}")
    with pd.option_context("display.width", 250, "display.max_columns", 50, "display.float_format", "{:,.2f}".format,
                           "display.unicode.east_asian_width", True):
        print(shown.to_string(index=False))


def _parks(args):
    """
    The parks a command reads: ``--parks FILE`` when given, else the workspace's parks in force
    (``geo.parkstore``: PostGIS's with GXLAND_DATABASE_URL, the workspace's ``parks.geojson``, the shipped ones).
    """
    from geo import io, parkstore

    given = getattr(args, "parks", None)
    if given is not None:
        return io.read_parks(given)
    return parkstore.read_parks(getattr(args, "workspace", None) or _workspace_root())


def _table_only(args) -> bool:
    """The output is a table (.xlsx/.csv): the parcels are read without holding their shapes."""
    return args.output.suffix.lower() in (".xlsx", ".csv")


def _measured(loaded):
    """
    The parcels of a shapeless read with the site area measured on their shapes as ``area_m2``,
    which the analyses take in place of the geometry (``loaded.gdf`` itself when it has shapes).
    """
    if loaded.area_m2 is None:
        return loaded.gdf
    from geo.workspace import AREAS_MEASURED

    out = loaded.gdf.assign(area_m2=loaded.area_m2)
    out.attrs[AREAS_MEASURED] = True
    return out


def _shown_columns(args, table: str) -> set[str] | None:
    """
    The columns a table export (.xlsx/.csv) writes when it writes fewer than all (``--columns``
    adds to the table's own), or None: every column is written, or the output is a map.
    """
    if not _table_only(args) or args.columns == "all":
        return None
    from reports.tables import TABLES

    return {*TABLES[table], *(args.columns or ())}


def _release_memory() -> None:
    from geo.io import release_memory

    release_memory()


def _read_parcels_for_cli(args, *, geometry: bool = True) -> tuple:
    from geo import io

    parks = _parks(args)
    loaded = io.read_parcels(args.parcels, crs=args.crs, encoding=args.encoding, parks=parks,
                             layer=getattr(args, "layer", None), shifted=getattr(args, "shifted", None),
                             geometry=geometry)
    import words
    from words.io import notes_text, problem_line

    if not geometry:
        _release_memory()
    lang = getattr(args, "lang", "zh")
    if loaded.crs_note:
        print(words.label("ui", "cli_notes", lang).format(notes=notes_text(loaded.crs_note, lang)))
    if loaded.problems:
        errors = sum(p.severity == "error" for p in loaded.problems)
        print(words.label("ui", "cli_problems", lang).format(n=len(loaded.problems), e=errors))
        for p in loaded.problems[:10]:
            print(f"  {problem_line(p, lang)}")
    return parks, loaded


def cmd_sample(args) -> int:
    from geo import sample

    # A workspace with anything in it may hold a bureau's data: the sample never writes over it.
    held = sorted(p.name for p in args.out.iterdir()) if args.out.is_dir() else []
    if held:
        if args.if_empty:
            print(f"{args.out}: 工作空间已有数据（{'、'.join(held[:5])}…），未写入示例数据")
            return 0
        if not args.force:
            print(f"错误：{args.out} 不是空文件夹，示例数据不会覆盖已有数据；换一个文件夹，或确认后加 --force",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
    paths = sample.write_sample(args.out, n=args.n, seed=args.seed)
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0


def cmd_parks(args) -> int:
    from geo import sample

    sample.write_parks(args.out)
    print(f"parks: {args.out}")
    return 0


def _case_store(args):
    """The case store named by ``--cases`` (None without it): causes established and disposals recorded."""
    if not getattr(args, "cases", None):
        return None
    from geo.cases import CaseStore

    return CaseStore(args.cases)


def cmd_idle(args) -> int:
    from geo import idle, workspace
    from geo.rules import load_rules

    rules = load_rules("idle", args.rules) if args.rules else None
    if args.warning_days is not None:
        rules = {**(rules or load_rules("idle")), "warning_days": args.warning_days}
    parks, loaded = _read_parcels_for_cli(args, geometry=not _table_only(args))
    shown = _shown_columns(args, "idle")
    if shown is not None:
        # A table of the default columns: the parcels' columns neither shown nor read by the idle
        # rules, the cases or the review join are let go first.
        reads = {*idle.IDLE_INPUT_COLUMNS, idle.EXTENSIONS_COLUMN, "parcel_id", "park_id", "holder", "supply_date",
                 "delay_cause", "disposal_status", "area_mu"}
        loaded.gdf = loaded.gdf[[c for c in loaded.gdf.columns if c in shown or c in reads]]
        _release_memory()
    cases = _case_store(args)
    result = workspace.analyse_idle(_measured(loaded), as_of=args.as_of, rules=rules, cases=cases)
    del loaded  # the parcels live on in ``result`` only: one copy while writing
    if args.review:
        from geo.review import ReviewStore

        result = workspace.join_review(result, ReviewStore(args.review).current())
    import words
    from reports.tables import park_overview_display

    _release_memory()  # the analysis' working columns
    _write(result, args, "idle", parks)
    _release_memory()  # the written slices
    lang = args.lang
    _say("cli_wrote_as_of", lang, n=len(result), path=str(args.output), as_of=args.as_of)
    summary = idle.summarize_idle(result["idle_status"], result["area_mu"], result["fee_wan"])
    labels = [words.label("ui", "total", lang) if s == "total" else words.label("idle_status", s, lang)
              for s in summary.index]
    by_status = summary.reset_index(drop=True).rename(columns={"count": "parcels"})
    by_status.insert(0, "idle_status", labels)
    _print_table(by_status, words.label("ui", "status_summary", lang), lang)
    overview = park_overview_display(workspace.park_overview(result, parks), parks, lang)
    _print_table(overview, words.label("ui", "parks_table", lang), lang)
    return 0


def _site(loaded):
    """A shapeless read's (area, has a shape) per parcel, as ``geo.intensity`` takes it (None with shapes)."""
    return None if loaded.area_m2 is None else (loaded.area_m2, loaded.shape_present)


#: Parcels ``intensity`` analyses at a time for a table (.xlsx/.csv).
INTENSITY_SLICE_ROWS = 100_000


def _intensity_in_slices(parcels: pd.DataFrame, *, site, keep: set[str] | None, **kwargs) -> pd.DataFrame:
    """
    ``intensity.analyse_intensity(parcels, …)`` :data:`INTENSITY_SLICE_ROWS` parcels at a time,
    keeping of the columns it adds those in ``keep`` (all with None): each row's results are its
    own, so the table is that of analysing every parcel at once, while the analysis' working
    columns and message lists stand for one slice. Each slice's columns are copied out of it
    and joined column by column, so at most one column is held twice.
    """
    from geo import intensity

    pieces: dict[str, list[pd.Series]] = {}
    rules = None
    for start in range(0, max(len(parcels), 1), INTENSITY_SLICE_ROWS):
        rows = slice(start, start + INTENSITY_SLICE_ROWS)
        added = intensity.intensity_columns(parcels.iloc[rows], site=None if site is None else
                                            (site[0].iloc[rows], site[1].iloc[rows]), **kwargs)
        rules = added.attrs["rules"]
        for col in added.columns:
            if keep is None or col in keep or col in parcels.columns:
                pieces.setdefault(col, []).append(added[col].copy())
        del added
        _release_memory()
    joined = {}
    for col in list(pieces):
        parts = pieces.pop(col)
        joined[col] = parts[0] if len(parts) == 1 else pd.concat(parts)
        del parts
    added = pd.DataFrame(joined, copy=False)
    added.attrs["rules"] = rules
    del joined
    return intensity.joined(parcels, added)


def cmd_intensity(args) -> int:
    from geo import intensity

    parks, loaded = _read_parcels_for_cli(args, geometry=not _table_only(args))
    shown = _shown_columns(args, "intensity")
    if shown is not None:
        # A table of the default columns: the parcels' columns neither shown nor read by the analysis are let go first.
        loaded.gdf = loaded.gdf[[c for c in loaded.gdf.columns if c in shown or c in intensity.INPUT_COLUMNS]]
        _release_memory()
    rules = intensity.load_control_rules(args.rules) if args.rules else None
    options = dict(parks=parks, rules=rules, min_far_override=args.min_far,
                   min_building_coef_override=args.min_building_coef, edition=args.edition)
    if _table_only(args):
        # The summary's columns besides those shown.
        keep = None if shown is None else {*shown, "park_id", "checked", "inefficient", "area_mu", "freed_land_mu",
                                           "far_gap_floor_m2"}
        result = _intensity_in_slices(loaded.gdf, site=_site(loaded), keep=keep, **options)
    else:
        result = intensity.analyse_intensity(loaded.gdf, site=_site(loaded), **options)
    del loaded  # the parcels live on in ``result`` only: one copy while writing
    _release_memory()  # the analysis' working columns
    import words
    from reports.tables import TOTAL_KEY, park_overview_display

    _write(result, args, "intensity", parks)
    _release_memory()  # the written slices
    lang = args.lang
    _say("cli_wrote", lang, n=len(result), path=str(args.output))
    summary = intensity.summarize_intensity(result, by="park_id")
    shown = park_overview_display(summary, parks, lang).rename(
        columns={"checked": "checked_parcels", "inefficient": "inefficient_parcels"})
    _print_table(shown, words.label("ui", "cli_intensity_by_park", lang), lang)
    t = summary.loc[TOTAL_KEY]
    _say("cli_intensity_total", lang, inefficient=int(t["inefficient"]), checked=int(t["checked"]),
         area_mu=float(t["inefficient_area_mu"]), freed_mu=float(t["freed_land_mu"]))
    return 0


def _grade_park_by_park(parcels: pd.DataFrame, *, settings, keep: set[str]) -> pd.DataFrame:
    """
    ``grading.grade(parcels, group="park")`` one park at a time, keeping the columns ``keep``:
    each park's benchmarks, ranks and classes are its own, so the grades are those of grading
    every park at once, while the grading's working columns stand for one park only. The
    settings record (``attrs["settings"]``) carries every park's benchmark, in park order.
    """
    from geo import grading

    # The park as grading groups by (grading.grade's key): stripped text, empty as none.
    key = parcels["park_id"].astype("string").str.strip() if "park_id" in parcels.columns else None
    if key is None:
        return grading.grade(parcels, group="park", settings=settings)
    codes, _ = pd.factorize(key.mask(key == ""), use_na_sentinel=False)
    parts, record, benchmarks = [], None, {}
    for code in range(codes.max() + 1 if len(codes) else 0):
        graded = grading.grade(parcels.iloc[np.flatnonzero(codes == code)], group="park", settings=settings)
        record = graded.attrs["settings"]
        benchmarks.update(record["benchmarks"])
        parts.append(graded[[c for c in graded.columns if c in keep]])
        del graded
    if not parts:
        return grading.grade(parcels, group="park", settings=settings)
    out = pd.concat(parts).loc[parcels.index]
    out.attrs["settings"] = {**record, "benchmarks": {k: benchmarks[k] for k in sorted(benchmarks)}}
    return out


def cmd_grade(args) -> int:
    import json

    import geopandas as gpd

    from geo import grading

    parks, loaded = _read_parcels_for_cli(args, geometry=not _table_only(args))
    shown = _shown_columns(args, "grades")
    if shown is not None:
        # A table of the default columns: the parcels' columns neither shown nor graded are let go first.
        reads = {"land_use", "park_id", "area_mu", *(c for pair in grading.INDICATORS.values() for c in pair)}
        loaded.gdf = loaded.gdf[[c for c in loaded.gdf.columns if c in shown or c in reads]]
        _release_memory()
    parcels = loaded.gdf
    if shown is not None and args.group == "park":
        grades = _grade_park_by_park(_measured(loaded), settings=args.settings,
                                     keep={*shown, "park_id", "graded_on_tax_only"})
    else:
        grades = grading.grade(_measured(loaded), group=args.group, settings=args.settings)
    _release_memory()
    base = parcels.drop(columns=[c for c in grades.columns if c in parcels.columns])
    result = pd.concat([base, grades], axis=1)
    if loaded.area_m2 is None and isinstance(parcels, gpd.GeoDataFrame) and parcels._geometry_column_name in parcels:
        result = gpd.GeoDataFrame(result, geometry=parcels.geometry.name, crs=parcels.crs)
    settings = grades.attrs["settings"]
    del loaded, parcels, grades, base  # the parcels live on in ``result`` only: one copy while writing
    _write(result, args, "grades", parks)
    _release_memory()  # the written slices
    sidecar = args.output.with_name(args.output.name + ".settings.json")
    sidecar.write_text(json.dumps(settings, ensure_ascii=False, indent=2), encoding="utf-8")
    import words
    from reports.tables import park_overview_display

    lang = args.lang
    _say("cli_wrote_grades", lang, n=len(result), path=str(args.output), settings=str(sidecar))
    summary = park_overview_display(grading.summarize_grades(result, by="park_id"), parks, lang)
    summary = summary.rename(columns={c: words.label("grade_class", c, lang) for c in ("A", "B", "C", "D")})
    _print_table(summary, words.label("ui", "cli_grades_by_park", lang), lang)
    return 0


def _evaluation_reads() -> set[str] | None:
    """The parcels' columns ``evaluate`` keeps (None: all)."""
    from geo import evaluation, idle, intensity

    return {*evaluation.PARCEL_COLUMNS, *idle.IDLE_INPUT_COLUMNS, idle.EXTENSIONS_COLUMN, *intensity.INPUT_COLUMNS}


def cmd_evaluate(args) -> int:
    import words
    from geo import evaluation, workspace
    from reports import evaluation_tables, tables

    # One row per park (a map takes the parks' shapes): the parcels are read without theirs, measured,
    # and only the columns the evaluation reads are kept.
    parks, loaded = _read_parcels_for_cli(args, geometry=False)
    reads = _evaluation_reads()
    if reads is not None:
        loaded.gdf = loaded.gdf[[c for c in loaded.gdf.columns if c in reads]]
    parcels = _measured(loaded)
    del loaded
    _release_memory()
    if args.review:
        from geo.review import ReviewStore

        parcels = workspace.join_review(parcels, ReviewStore(args.review).current())
    ev = evaluation.evaluate_parks(parks, parcels, as_of=args.as_of, settings=args.settings, cases=_case_store(args))
    lang, ext = args.lang, args.output.suffix.lower()
    park_ids = list(ev.table["park_id"])
    if args.codes or ext in (".geojson", ".json", ".parquet"):
        evaluation_tables.write_codes(ev, args.output)  # .csv/.xlsx text-safe, the rest by geo
    elif ext == ".xlsx":
        args.output.write_bytes(evaluation_tables.excel_bytes(ev, park_ids, lang=lang))
    elif ext == ".csv":
        sheet = evaluation_tables.export_tables(ev, park_ids, lang=lang)["evaluation"]
        args.output.write_bytes(tables.csv_bytes(sheet))  # every text cell, whatever its dtype
    else:
        evaluation.write_evaluation(ev, args.output)  # refuses the extension in words
    _say("cli_wrote_parks", lang, n=len(ev.table), path=str(args.output), as_of=args.as_of)
    for note in ev.notes:
        print(f"  {words.render(note, lang)}")
    shown = evaluation_tables.export_tables(ev, park_ids, lang=lang)["evaluation"]
    keep = [words.header(c, lang) for c in ("park_name", "park_type", "score", "rank", "rank_in_level")]
    print(f"\n{words.label('ui', 'cmp_table', lang)}")
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.float_format", "{:,.2f}".format,
                           "display.unicode.east_asian_width", True):
        print(shown[[c for c in keep if c in shown.columns]].to_string(index=False))
    return 0


def _workspace(args):
    import os

    from geo.workspace import Workspace

    return Workspace(args.workspace or Path(os.environ.get("GXLAND_WORKSPACE", "workspace")))


def cmd_import(args) -> int:

    import words
    from geo import io, workspace
    from words.workspace import preview_display

    lang = "zh"
    ws = _workspace(args)
    parks = _parks(args)
    loaded = workspace.read_incoming(args.file, layer=args.layer, crs=args.crs, encoding=args.encoding, parks=parks,
                                     shifted=args.shifted)
    remembered = workspace.mapping_for(ws, workspace.file_headers(loaded))
    units = workspace.units_for(ws, workspace.file_headers(loaded))
    if remembered or units:
        loaded = workspace.read_incoming(args.file, layer=args.layer, crs=args.crs, encoding=args.encoding,
                                         parks=parks, shifted=args.shifted, columns=remembered, units=units)
    _print_read(loaded, lang)
    why = loaded.refusal
    if why is not None:
        print(words.label("ui", "cli_imp_refused", lang).format(source=args.file.name, reason=words.render(why, lang)),
              file=sys.stderr)
        return EXIT_BAD_INPUT
    incoming = loaded.gdf
    if args.table:
        register = workspace.read_incoming(args.table, layer=args.table_sheet).gdf
        incoming, report = workspace.join_register(incoming, register)
        print(words.render(report["items"], lang))
    try:
        current = io.read_parcels(ws.parcels_path, parks=parks).gdf
    except workspace.NoParcelFile:
        current = None
    diff = workspace.preview_import(current, incoming, args.mode)
    print(words.label("ui", "cli_imp_preview", lang).format(mode=words.label("import_mode", args.mode, lang),
                                                            **diff.counts))
    _print_table(preview_display(diff, parks, lang), words.label("ui", "data_imp_changes", lang), lang)
    if args.dry_run:
        print(words.label("ui", "cli_imp_dry_run", lang))
        return 0
    m = workspace.install(ws, incoming, args.mode, parks=parks, source=args.file.name,
                          account=_cli_account(args))
    print(words.label("ui", "cli_imp_done", lang).format(version=m["version_id"], parcels=m["counts"]["parcels"]))
    return 0


def _print_read(loaded, lang: str) -> None:
    import words
    from words.io import notes_text, problem_line

    if loaded.crs_note:
        print(words.label("ui", "cli_notes", lang).format(notes=notes_text(loaded.crs_note, lang)))
    if loaded.problems:
        errors = sum(p.severity == "error" for p in loaded.problems)
        print(words.label("ui", "cli_problems", lang).format(n=len(loaded.problems), e=errors))
        for p in loaded.problems[:10]:
            print(f"  {problem_line(p, lang)}")


def cmd_versions(args) -> int:
    import words
    from geo import workspace
    from words.workspace import versions_display

    v = workspace.list_versions(_workspace(args))
    if v.empty:
        print(words.label("ui", "cli_imp_no_versions", "zh"))
        return 0
    _print_table(versions_display(v, "zh"), words.label("ui", "data_imp_versions", "zh"))
    return 0


def cmd_restore(args) -> int:
    import words
    from geo import parkstore, workspace

    # The parks the app reads: a version kept before the stored format is converted with them.
    ws = _workspace(args)
    m = workspace.restore(ws, args.version, account=_cli_account(args), parks=parkstore.read_parks(ws.root))
    print(words.label("ui", "cli_imp_restored", "zh").format(version=m["restored_from"], new=m["version_id"]))
    return 0


def cmd_parks_install(args) -> int:
    """Make a parks file the workspace's parks in force (admins; PostGIS's layer with GXLAND_DATABASE_URL)."""
    from geo import parkstore
    from words.store import parks_installed_text

    m = parkstore.install_parks(_workspace(args).root, args.file, account=_cli_account(args), layer=args.layer)
    print(parks_installed_text(m, args.lang))
    return 0


def cmd_migrate(args) -> int:
    """Copy the store between a workspace folder and PostGIS (geo.migrate), checking the counts."""
    import words
    from geo import migrate

    if args.to:
        source, target = (args.from_url or args.workspace or _workspace_root()), args.to
    else:
        from geo.db import database_url

        source, target = args.from_url or database_url(), args.to_workspace
        if not source:
            raise migrate.MigrateError("migrate_needs_source", setting="GXLAND_DATABASE_URL")
    items = migrate.migrate(source, target, force=args.force)
    for item in items:
        print(words.render(item, args.lang))
    return 0


def _cli_account(args):
    """Who the CLI records under: ``--account`` (an enabled account of the workspace) or the OS user (admin)."""
    from geo import accounts

    name = getattr(args, "account", None)
    if not name:
        return accounts.os_account()
    found = accounts.AccountStore.in_workspace(_workspace(args).root).get(name)
    if found is None:
        raise accounts.AccessError("account_unknown", account=name)
    return found


def cmd_user(args) -> int:
    """Accounts of the workspace: add, reset, list, disable, enable, init."""
    import words
    from geo import accounts

    root = _workspace(args).root
    store = accounts.AccountStore.in_workspace(root)
    by = accounts.os_account().name
    cmd = args.user_command

    def password_arg() -> str | None:
        return sys.stdin.readline().rstrip("\n") if getattr(args, "password_stdin", False) else None

    if cmd == "add":
        parks = [p.strip() for p in args.parks.split(",") if p.strip()]
        pw = store.add(args.name, args.role, parks=parks, password=password_arg(), sso=args.sso,
                       display_name=args.display_name, by=by)
        if pw is None:
            _say("user_added_sso", "zh", account=args.name, role=args.role)
        else:
            _say("user_added", "zh", account=args.name, role=args.role, password=pw)
    elif cmd == "reset":
        _say("user_reset", "zh", account=args.name, password=store.reset(args.name, password=password_arg(), by=by))
    elif cmd in ("disable", "enable"):
        store.set_disabled(args.name, cmd == "disable", by=by)
        _say(f"user_{cmd}d", "zh", account=args.name)
    elif cmd == "init":
        path = accounts.ensure_admin(root)
        pending = root / accounts.INITIAL_PASSWORD_FILE
        if path is not None:
            _say("user_initial_admin", "zh", account=accounts.initial_account(path), path=path)
        elif pending.is_file():
            _say("user_initial_pending", "zh", path=pending)
        else:
            _say("user_admin_exists", "zh")
    else:
        from geo import parkstore
        from words.accounts import park_names

        names = park_names(parkstore.read_parks(root), "zh")
        table = store.list()
        table["parks"] = table["parks"].map(lambda ps: tuple(names.get(p, p) for p in ps))
        shown = pd.DataFrame({
            words.header("account", "zh"): table["name"],
            words.header("display_name", "zh"): table["display_name"].fillna(words.DASH),
            words.header("role", "zh"): table["role"].map(lambda r: words.label("role", r, "zh")),
            words.header("parks", "zh"): table["parks"].map(lambda ps: "、".join(ps) or words.label("ui", "auth_scope_all", "zh")),
            words.header("sso", "zh"): table["sso"].map(lambda b: words.yes_no(b, "zh")),
            words.header("must_change", "zh"): table["must_change"].map(lambda b: words.yes_no(b, "zh")),
            words.header("disabled", "zh"): table["disabled"].map(lambda b: words.yes_no(b, "zh")),
        })
        print(shown.to_string(index=False) if len(shown) else words.DASH)
    return 0


def cmd_convert(args) -> int:
    """Convert a boundary file between formats (坐标 TXT included), printing each parcel's area."""
    import words
    from geo import io, txt
    from geo.crs import area_m2, m2_to_ha, m2_to_mu
    from reports import tables
    from words.io import notes_text, problem_line
    from words.txt import warning_line

    lang = args.lang
    src, out = Path(args.input), Path(args.output)
    ext = out.suffix.lower()
    if ext not in CONVERT_EXTENSIONS:
        raise io.DataError("write_ext_unsupported", source=out.name, ext=ext, extensions=list(CONVERT_EXTENSIONS))
    if src.suffix.lower() in io.TXT_EXTENSIONS:
        res = txt.read_txt(src)
        gdf, header, sections, notes = res.gdf, res.header, res.sections, res.notes
        lines = [warning_line(w, lang) for w in res.warnings]
    else:
        loaded = io.read_parcels(src, crs=args.crs, encoding=args.encoding, layer=args.layer, shifted=args.shifted)
        gdf, notes = loaded.gdf, loaded.crs_note
        header, sections = txt.gpkg_header(src)
        lines = [problem_line(p, lang) for p in loaded.problems]
    print(words.label("ui", "convert_read", lang).format(source=src.name, n=len(gdf)))
    print(words.label("ui", "cli_notes", lang).format(notes=notes_text(notes, lang)))
    if lines:
        print(words.label("ui", "convert_warnings", lang).format(n=len(lines)))
        for line in lines[:20]:
            print(f"  {line}")
    m2 = area_m2(gdf)
    ids = gdf["parcel_id"] if "parcel_id" in gdf.columns else pd.Series(None, index=gdf.index, dtype=object)
    for row, (pid, a) in enumerate(zip(ids, m2, strict=True), start=1):
        name = pid if isinstance(pid, str) and pid else words.label("ui", "convert_unnamed", lang).format(row=row)
        print(words.label("ui", "convert_area", lang).format(
            parcel=name, m2=words.fmt_number(a, 2), ha=words.fmt_number(m2_to_ha(a), 4),
            mu=words.fmt_number(m2_to_mu(a), 2)))
    total = float(m2.sum())
    print(words.label("ui", "convert_total", lang).format(
        m2=words.fmt_number(total, 2), ha=words.fmt_number(m2_to_ha(total), 4),
        mu=words.fmt_number(m2_to_mu(total), 2)))
    if ext == ".txt":
        gdf.attrs.update({"txt_header": header, "txt_sections": sections})
        if args.txt_encoding == "gbk":
            tables.write(gdf, out)
        else:
            txt.write_txt(gdf, out, header=header or None, sections=sections, encoding=args.txt_encoding)
    elif ext == ".gpkg":
        txt.write_gpkg(gdf, out, header=header, sections=sections)
    else:
        tables.write(gdf, out, codes=True, columns="all")
    print(words.label("ui", "convert_written", lang).format(target=out))
    return 0


#: What ``python -m geo convert`` writes, by extension of OUT.
CONVERT_EXTENSIONS = (".gpkg", ".geojson", ".zip", ".txt")


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def cmd_assess(args) -> int:
    import json
    import os
    from io import StringIO

    import words
    from geo import assessment, io
    from geo.workspace import NoParcelFile, Workspace
    from words.assessment import check_text, sources_text

    lang = args.lang
    parks = _parks(args)
    try:
        application = io.read_parcels(args.application).gdf
    except io.DataError as exc:
        # A project may come as one attribute row (用地面积 instead of a site polygon).
        if args.kind != "project" or exc.code != "attribute_table_no_id":
            raise
        if args.application.suffix.lower() == ".csv":
            raw = args.application.read_bytes()
            text_ = raw.decode("utf-8-sig") if _is_utf8(raw) else raw.decode("gb18030")
            table = pd.read_csv(StringIO(text_), dtype=str)
        else:
            table = pd.read_excel(args.application, dtype=str)
        application = assessment.project_from_table(table)
    parcels_path = args.parcels
    if parcels_path is None:
        root = Path(os.environ.get("GXLAND_WORKSPACE", str(Path(__file__).resolve().parent / "workspace")))
        try:
            parcels_path = Workspace(root).parcels_path
        except NoParcelFile as exc:
            from words.io import error_text

            print(" ".join(error_text(exc, lang, face="cli").split()))
    parcels = io.read_parcels(parcels_path, parks=parks).gdf if parcels_path is not None else None
    from geo.pgstore import shared_layers

    shared = shared_layers(Workspace(_workspace_root()))  # PostGIS (GXLAND_DATABASE_URL): the layers in force
    own = shared.local_folder("constraints") if shared is not None else _workspace_root() / "constraints"
    constraints = (assessment.read_constraints(own, fallback=args.constraints) if args.constraints == DEFAULT_CONSTRAINTS
                   else assessment.read_constraints(args.constraints))
    result = assessment.assess(application, park_id=args.park, kind=args.kind, as_of=args.as_of, parks=parks,
                               parcels=parcels, constraints=constraints, preset=args.preset)
    names = result.names(lang)
    ext = args.output.suffix.lower()
    if ext == ".json":
        checks = []
        for c in assessment.checks_records(result):
            checks.append({"id": c["id"], "status": c["status"], "value": c["value"], "unit": c["unit"],
                           "threshold": {**c["threshold"], "system_default": c["system_default"]},
                           "source": sources_text(c, lang), "text": check_text(c, lang, park_names=names)})
        overlaps = [{"layer": r["layer"], "piece": int(r["piece"]), "area_m2": float(r["area_m2"])}
                    for r in result.overlaps.drop(columns=result.overlaps.geometry.name).to_dict(orient="records")]
        doc = {"verdict": result.verdict, "area_m2": result.area["total"]["area_m2"], "checks": checks,
               "overlaps": overlaps}
        args.output.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    elif ext == ".docx":
        from reports.assessment_report import assessment_docx

        args.output.write_bytes(assessment_docx(result, lang=lang))
    elif ext == ".gpkg":
        args.output.unlink(missing_ok=True)
        result.application.to_file(args.output, layer="application", driver="GPKG")
        result.overlaps.to_file(args.output, layer="overlaps", driver="GPKG")
        park = result.park[["park_id", "name_zh", result.park.geometry.name]]
        park.to_file(args.output, layer="park", driver="GPKG")
    else:
        print(("错误：" if lang == "zh" else "error: ") + words.text("assess_cli_bad_output", lang, ext=ext),
              file=sys.stderr)
        return EXIT_BAD_INPUT
    verdict = words.label("assess_verdict", result.verdict, lang)
    _say("assess_cli_wrote", lang, path=str(args.output), verdict=verdict, n=len(result.checks))
    for c in assessment.checks_records(result):
        sep = "：" if lang == "zh" else ": "
        print(f"  [{words.label('assess_status', c['status'], lang)}] {words.label('assess_check', c['id'], lang)}"
              f"{sep}{check_text(c, lang, park_names=names)}")
    return 0


def _built_values(value: str) -> list[float]:
    try:
        return [float(v) for v in value.replace("，", ",").split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {value!r}") from None


def cmd_zonal(args) -> int:
    """Imagery evidence per parcel (geo.raster): the table, and the field-check list when asked."""
    import words
    from geo import raster
    from geo.crs import area_m2, m2_to_mu
    from reports import tables

    settings = raster.settings_with(raster.load_raster_settings(args.rules) if args.rules else None,
                                    built_values=args.built_values, built_threshold=args.built_threshold)
    parks, loaded = _read_parcels_for_cli(args)
    gdf = loaded.gdf
    ev = raster.zonal_evidence(gdf, args.raster, before=args.before, patches=args.patches, settings=settings,
                               as_of=args.as_of)
    keep = [c for c in ("parcel_id", "park_id", "holder", "land_use") if c in gdf.columns]
    result = gdf[[*keep, gdf.geometry.name]].assign(area_mu=m2_to_mu(area_m2(gdf))).join(ev)
    lang = args.lang
    tables.write(result, args.output, lang=lang, codes=args.codes, parks=parks,
                 columns=args.columns or "all", geometry=None)
    _say("cli_wrote", lang, n=len(result), path=str(args.output))
    if args.field_check:
        check = raster.field_check_list(gdf, ev)
        shown = tables.present(check, lang=lang, codes=args.codes, parks=parks, columns="all")
        tables.write_shown(shown, args.field_check, lang=lang,
                           sheet=words.label("ui", "raster_field_check_sheet", lang), layer="field_check")
        _say("cli_wrote", lang, n=len(check), path=str(args.field_check))
    summary = raster.evidence_summary(ev)
    summary["code"] = [words.label(f"raster_{k}", c, lang) for k, c in zip(summary["kind"], summary["code"],
                                                                         strict=True)]
    shown = summary[["code", "parcels"]].rename(columns={"code": "raster_summary_item"})
    _print_table(shown, words.label("ui", "raster_cli_summary", lang), lang)
    print(words.text("raster_lead_note", lang))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Land analysis for Guangxi's high-tech zones")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("sample", help="write the seeded sample workspace")
    s.add_argument("--out", type=Path, default=Path("workspace"))
    s.add_argument("--n", type=int, default=5000, help="number of parcels (default 5000)")
    s.add_argument("--seed", type=int, default=20261125)
    s.add_argument("--if-empty", action="store_true", help="do nothing (exit 0) when the folder holds anything")
    s.add_argument("--force", action="store_true", help="write the sample into a folder that is not empty")
    s.set_defaults(func=cmd_sample)

    s = sub.add_parser("parks", help="regenerate data/parks.geojson (illustrative boundaries)")
    s.add_argument("--out", type=Path, default=Path("data/parks.geojson"))
    s.set_defaults(func=cmd_parks)

    def export_args(sp):
        sp.add_argument("--codes", action="store_true",
                        help="write canonical column names and code values (for scripts and other systems)")
        sp.add_argument("--columns", type=_columns,
                        help="extra columns to write (comma-separated canonical names), or 'all'")

    def reader_args(sp):
        sp.add_argument("--layer", help="layer of a GeoPackage, sheet of a workbook or Shapefile (stem) in a zip")
        sp.add_argument("--shifted", choices=["gcj02", "bd09"],
                        help="the file's degrees are GCJ-02 (AMap/DataV) or BD-09 (Baidu): convert to CGCS2000")

    def parcel_args(sp):
        sp.add_argument("parcels", type=Path, help="parcel file (.gpkg .geojson .zip .shp .parquet .csv .xlsx)")
        sp.add_argument("-o", "--output", type=Path, required=True, help="output (.csv .xlsx .geojson .gpkg .parquet)")
        sp.add_argument("--parks", type=Path, help=PARKS_HELP)
        sp.add_argument("--crs", help="CRS of a file without .prj, e.g. EPSG:4545")
        sp.add_argument("--encoding", help="DBF encoding of a Shapefile without .cpg, e.g. GBK")
        reader_args(sp)
        sp.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of headers and values")
        export_args(sp)

    s = sub.add_parser("idle", help="classify idle land (《闲置土地处置办法》)")
    parcel_args(s)
    s.add_argument("--as-of", type=_date, required=True, help="evaluation date YYYY-MM-DD")
    s.add_argument("--rules", type=Path, help="YAML overriding geo/rules/idle.yaml")
    s.add_argument("--warning-days", type=int, help="warn when the 1-year mark is this close (default 90)")
    s.add_argument("--review", type=Path, help="review.sqlite whose decisions to join")
    s.add_argument("--cases", type=Path, help="cases.sqlite whose determinations establish the cause of delay")
    s.set_defaults(func=cmd_idle)

    s = sub.add_parser("intensity", help="floor-area efficiency and control indicators (低效用地)")
    parcel_args(s)
    s.add_argument("--rules", type=Path, help="YAML overriding geo/rules/control_indicators.yaml")
    s.add_argument("--edition", choices=["2002", "2011", "2017"], help="GB/T 4754 edition of industry_code")
    s.add_argument("--min-far", type=float, help="what-if: raise the minimum FAR to at least this")
    s.add_argument("--min-building-coef", type=float, help="what-if: raise the minimum building coefficient")
    s.set_defaults(func=cmd_intensity)

    s = sub.add_parser("grade", help="per-亩 benefit grading (亩均论英雄)")
    parcel_args(s)
    s.add_argument("--group", choices=["park", "region"], default="park", help="benchmark and rank within")
    s.add_argument("--settings", type=Path, help="YAML overriding geo/rules/grading.yaml")
    s.set_defaults(func=cmd_grade)

    s = sub.add_parser("evaluate", help="park land-use evaluation (开发区土地集约利用评价, TD/T 1029)")
    s.add_argument("--parks", type=Path, required=True, help="parks with developable_ha, supply_ready_ha, level")
    s.add_argument("--parcels", type=Path, required=True, help="parcel file (.gpkg .geojson .zip .shp .parquet .csv .xlsx)")
    s.add_argument("--as-of", type=_date, required=True, help="evaluation date YYYY-MM-DD")
    s.add_argument("-o", "--output", type=Path, required=True, help="output, one row per park (.csv .xlsx .geojson)")
    s.add_argument("--settings", type=Path, help="YAML overriding geo/rules/evaluation.yaml (weights, ideals, cut-off)")
    s.add_argument("--review", type=Path, help="review.sqlite whose disposal stages to use")
    s.add_argument("--cases", type=Path, help="cases.sqlite: 闲置土地处置率 counts disposals as of their recorded dates")
    s.add_argument("--crs", help="CRS of a file without .prj, e.g. EPSG:4545")
    s.add_argument("--encoding", help="DBF encoding of a Shapefile without .cpg, e.g. GBK")
    reader_args(s)
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of headers and values")
    s.add_argument("--codes", action="store_true",
                   help="write canonical column names and code values (for scripts and other systems)")
    s.set_defaults(func=cmd_evaluate)

    ws_help = "workspace folder (default: $GXLAND_WORKSPACE or workspace/)"
    s = sub.add_parser("import", help="import a parcel file into the workspace (preview per park, then install)")
    s.add_argument("file", type=Path, help="parcel file (.gpkg .geojson .zip .shp .parquet .csv .xlsx …)")
    s.add_argument("--workspace", type=Path, help=ws_help)
    s.add_argument("--mode", choices=["replace", "update", "add"], default="update",
                   help="replace all, update by parcel number (default), or add new parcel numbers only")
    s.add_argument("--table", type=Path, help="attribute register (.xlsx/.csv) joined by parcel number")
    s.add_argument("--table-sheet", help="sheet of the register workbook")
    s.add_argument("--layer", help="layer, sheet or Shapefile of the file to read")
    s.add_argument("--crs", help="CRS of a file without .prj, e.g. EPSG:4545")
    s.add_argument("--encoding", help="DBF encoding of a Shapefile without .cpg, e.g. GBK")
    s.add_argument("--parks", type=Path, help=PARKS_HELP)
    s.add_argument("--shifted", choices=["gcj02", "bd09"],
                   help="the file's degrees are shifted (AMap/DataV: gcj02, Baidu: bd09): convert to CGCS2000")
    s.add_argument("--dry-run", action="store_true", help="print the preview only; change nothing")
    s.add_argument("--account", help="record under this account of the workspace (default: the OS user, as admin)")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("versions", help="list the workspace's kept versions")
    s.add_argument("--workspace", type=Path, help=ws_help)
    s.set_defaults(func=cmd_versions)

    s = sub.add_parser("restore", help="make a kept version the workspace's data again (itself a new version)")
    s.add_argument("version", help="version number, as `versions` lists it")
    s.add_argument("--workspace", type=Path, help=ws_help)
    s.add_argument("--account", help="record under this account of the workspace (default: the OS user, as admin)")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("parks-install", help="install a parks file as the workspace's parks (admins; into PostGIS "
                                             "with GXLAND_DATABASE_URL); every page and command then uses it")
    s.add_argument("file", type=Path, help="parks file (.gpkg .geojson .zip .parquet …) with park_id, name_zh, level")
    s.add_argument("--layer", help="layer of a GeoPackage, Shapefile (stem) in a zip")
    s.add_argument("--workspace", type=Path, help=ws_help)
    s.add_argument("--account", help="record under this account of the workspace (default: the OS user, as admin)")
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the message")
    s.set_defaults(func=cmd_parks_install)

    s = sub.add_parser("migrate", help="copy the store: workspace folder → PostGIS (--to URL) or back "
                                       "(--from URL --to-workspace DIR), checking counts and CRS")
    s.add_argument("--workspace", type=Path, help="the workspace to copy from with --to (default GXLAND_WORKSPACE)")
    s.add_argument("--from", dest="from_url", metavar="URL",
                   help="the PostGIS database to copy from (default with --to-workspace: GXLAND_DATABASE_URL)")
    where = s.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="URL", help="the PostGIS database to copy into (postgresql://…)")
    where.add_argument("--to-workspace", type=Path, metavar="DIR", help="the workspace folder to copy into")
    s.add_argument("--force", action="store_true", help="replace what the target holds (refused without it)")
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the report")
    s.set_defaults(func=cmd_migrate)

    # Accounts of the workspace (admin command: whoever can run it has the server's shell).
    s = sub.add_parser("user", help="accounts: add, reset, list, disable, enable; init (the first admin)")
    s.add_argument("--workspace", type=Path, help=ws_help)
    usub = s.add_subparsers(dest="user_command", required=True)
    u = usub.add_parser("add", help="create an account (prints its first password, to be changed at first login)")
    u.add_argument("name", help="account name (for single sign-on: the e-mail the identity provider gives)")
    u.add_argument("--role", required=True, choices=["viewer", "officer", "reviewer", "admin"])
    u.add_argument("--parks", default="", help="park ids, comma-separated (required for an officer), e.g. nanning,guilin")
    u.add_argument("--display-name", help="the person's name")
    u.add_argument("--sso", action="store_true", help="logs in by single sign-on (OIDC); no password")
    u.add_argument("--password-stdin", action="store_true", help="read the first password from stdin")
    u = usub.add_parser("reset", help="a new password, to be changed at the next login (unlocks the account)")
    u.add_argument("name")
    u.add_argument("--password-stdin", action="store_true", help="read the new password from stdin")
    usub.add_parser("list", help="list the accounts")
    u = usub.add_parser("disable", help="disable an account")
    u.add_argument("name")
    u = usub.add_parser("enable", help="enable a disabled account")
    u.add_argument("name")
    usub.add_parser("init", help="create the first admin when there is none (password in a file only the owner reads)")
    s.set_defaults(func=cmd_user)

    s = sub.add_parser("convert", help="convert a boundary file (坐标 TXT, .gpkg, .geojson, .zip …) to another format")
    s.add_argument("input", type=Path, help="any readable file (.txt 坐标 TXT .gpkg .geojson .zip .shp .kml .csv …)")
    s.add_argument("-o", "--output", type=Path, required=True, help="output (.gpkg .geojson .zip .txt)")
    s.add_argument("--crs", help="CRS of a file without .prj, e.g. EPSG:4545")
    s.add_argument("--encoding", help="DBF encoding of a Shapefile without .cpg, e.g. GBK")
    reader_args(s)
    s.add_argument("--txt-encoding", choices=["gbk", "utf-8"], default="gbk", help="encoding of a .txt output")
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the printed lines")
    s.set_defaults(func=cmd_convert)

    s = sub.add_parser("assess", help="review an expansion / upgrade / project-entry application (扩区、升级、项目入园审查)")
    s.add_argument("application", type=Path, help="the applied boundary or project (any readable format)")
    s.add_argument("--park", required=True, help="the applicant park's id (e.g. nanning)")
    s.add_argument("--kind", choices=["expansion", "upgrade", "project"], required=True)
    s.add_argument("--as-of", type=_date, required=True, help="date of the park's record YYYY-MM-DD")
    s.add_argument("--parks", type=Path, help=PARKS_HELP)
    s.add_argument("--parcels", type=Path, help="parcel file (default: the workspace's, $GXLAND_WORKSPACE or workspace/)")
    s.add_argument("--constraints", type=Path, default=DEFAULT_CONSTRAINTS,
                   help="folder with basic_farmland.*, ecological_red_line.*, urban_development_boundary.*")
    s.add_argument("--preset", default="default", help="preset name or YAML file (geo/rules/assessment*.yaml)")
    s.add_argument("-o", "--output", type=Path, required=True, help="output (.json .docx .gpkg)")
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the texts")
    s.set_defaults(func=cmd_assess)

    s = sub.add_parser("zonal", help="imagery evidence per parcel (卫片/遥感影像比对，线索须实地核查)")
    parcel_args(s)  # the parcels, -o, --parks, the reader's and the export's options, as every table command
    s.add_argument("raster", type=Path, help="the later raster: a multispectral scene, a class or an index raster")
    s.add_argument("--before", type=Path, help="the earlier raster (its own grid and CRS)")
    s.add_argument("--patches", type=Path, help="change patches (卫片图斑), any readable vector format, with dates")
    s.add_argument("--built-values", type=_built_values, help="class values meaning built, e.g. 1,2 (class raster)")
    s.add_argument("--built-threshold", type=float, help="a pixel is built when its value ≥ this (index raster)")
    s.add_argument("--as-of", type=_date, help="date the records are read at (default: the later raster's date)")
    s.add_argument("--rules", type=Path, help="YAML overriding geo/rules/raster.yaml")
    s.add_argument("--field-check", type=Path, help="also write the field-check list (.xlsx .csv)")
    s.set_defaults(func=cmd_zonal)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from geo.errors import CodedError
    from geo.io import DataError
    from geo.workspace import NoParcelFile

    lang = getattr(args, "lang", "zh")
    head = "错误：" if lang == "zh" else "error: "
    try:
        return args.func(args)
    except (DataError, NoParcelFile) as exc:
        # The readers' errors carry a code: one line in the user's language, naming the CLI's options.
        from words.io import error_text

        print(head + " ".join(error_text(exc, lang, face="cli").split()), file=sys.stderr)
        return EXIT_BAD_INPUT
    except CodedError as exc:
        # Rules, settings, evaluation, eco, grading and CRS errors: a code, in the user's language.
        import words

        print(head + words.render(exc.item, lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (FileNotFoundError, ValueError, KeyError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(head + msg, file=sys.stderr)
        return EXIT_BAD_INPUT
