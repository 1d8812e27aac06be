"""Reads an export's three files with pandas, Polars, pyarrow and DuckDB at their default
settings and prints, as one JSON object, what each reader made of each column:
{"<reader> <format>": {"rows": n, "types": {column: kind}} or {"error": text}}.
A kind is one of int, float, bool, string, list, struct, json, timestamp, null, other.
Run by tests/export.rs: python3 read_exports.py <path without extension>."""

import json
import sys
import warnings

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.parquet as pa_parquet


def arrow_kind(t):
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_floating(t):
        return "float"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t):
        return "list"
    if pa.types.is_struct(t):
        return "struct"
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_null(t):
        return "null"
    if isinstance(t, pa.ExtensionType) and "json" in str(t).lower():
        return "json"
    return "other:" + str(t)


def polars_kind(t):
    if t.is_integer():
        return "int"
    if t.is_float():
        return "float"
    if t == pl.Boolean:
        return "bool"
    if t == pl.String:
        return "string"
    if isinstance(t, pl.List):
        return "list"
    if isinstance(t, pl.Struct):
        return "struct"
    if isinstance(t, pl.Datetime):
        return "timestamp"
    if t == pl.Null:
        return "null"
    return "other:" + str(t)


def pandas_kind(series):
    t = series.dtype
    if pd.api.types.is_bool_dtype(t):
        return "bool"
    if pd.api.types.is_integer_dtype(t):
        return "int"
    if pd.api.types.is_float_dtype(t):
        return "all-null" if series.isna().all() else "float"
    if pd.api.types.is_datetime64_any_dtype(t):
        return "timestamp"
    if pd.api.types.is_string_dtype(t) and not pd.api.types.is_object_dtype(t):
        return "string"
    values = series.dropna()
    kinds = {type(v).__name__ for v in values}
    if not kinds:
        return "all-null"
    if kinds <= {"str"}:
        return "string"
    if kinds <= {"bool", "bool_"}:
        return "bool"
    if kinds <= {"list", "ndarray"}:
        return "list"
    if kinds <= {"dict"}:
        return "struct"
    return "other:" + ",".join(sorted(kinds))


def duck_kind(t):
    t = str(t).upper()
    if t in ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "TINYINT", "UBIGINT"):
        return "int"
    if t in ("DOUBLE", "FLOAT") or t.startswith("DECIMAL"):
        return "float"
    if t == "BOOLEAN":
        return "bool"
    if t == "VARCHAR":
        return "string"
    if t.endswith("[]"):
        return "list"
    if t.startswith("STRUCT"):
        return "struct"
    if t == "JSON":
        return "json"
    if t.startswith("TIMESTAMP"):
        return "timestamp"
    if t == '"NULL"' or t == "NULL":
        return "null"
    return "other:" + t


def pandas_frame(frame):
    return len(frame), {c: pandas_kind(frame[c]) for c in frame.columns}


def polars_frame(frame):
    return frame.height, {c: polars_kind(t) for c, t in frame.schema.items()}


def arrow_table(table):
    return table.num_rows, {f.name: arrow_kind(f.type) for f in table.schema}


def duck_relation(relation):
    rows = relation.aggregate("count(*)").fetchall()[0][0]
    return rows, {c: duck_kind(t) for c, t in zip(relation.columns, relation.types)}


def main(base):
    readers = {
        "pandas csv": lambda: pandas_frame(pd.read_csv(base + ".csv")),
        "pandas jsonl": lambda: pandas_frame(pd.read_json(base + ".jsonl", lines=True)),
        "pandas parquet": lambda: pandas_frame(pd.read_parquet(base + ".parquet")),
        "polars csv": lambda: polars_frame(pl.read_csv(base + ".csv")),
        "polars jsonl": lambda: polars_frame(pl.read_ndjson(base + ".jsonl")),
        "polars parquet": lambda: polars_frame(pl.read_parquet(base + ".parquet")),
        "pyarrow csv": lambda: arrow_table(pa_csv.read_csv(base + ".csv")),
        "pyarrow jsonl": lambda: arrow_table(pa_json.read_json(base + ".jsonl")),
        "pyarrow parquet": lambda: arrow_table(pa_parquet.read_table(base + ".parquet")),
        "duckdb csv": lambda: duck_relation(duckdb.read_csv(base + ".csv")),
        "duckdb jsonl": lambda: duck_relation(duckdb.read_json(base + ".jsonl")),
        "duckdb parquet": lambda: duck_relation(duckdb.read_parquet(base + ".parquet")),
    }
    out = {}
    for name, read in readers.items():
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                rows, types = read()
            out[name] = {
                "rows": rows,
                "types": types,
                "warnings": [str(w.message) for w in caught],
            }
        except Exception as error:  # the test reports which reader failed and why
            out[name] = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
