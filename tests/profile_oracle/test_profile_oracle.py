"""`datamorph profile` cross-checked against pandas (Debian's python3-pandas) as an oracle.

For each file under tests/data/oracle/ (made once by make_files.py and committed) the test
runs `datamorph profile FILE --format json` and compares, per column, the profile's
`count` (non-null values), `null_count`, `distinct_count`, `min`, `max`, `mean`, `std` and
the quartiles (`quantiles`: p25/p50/p75), and the table's `row_count` and column names, with
what pandas computes on the same file.

How the two sides are aligned (so that a mismatch means a wrong statistic, not a different
reading of the file):

* Types. Each file has a spec (FILES below) naming the type every column should get
  (the API's integer / float / string / boolean / date / timestamp). The profile's `type`
  must equal it, so the ingest's type inference is checked too, and pandas reads the column
  with that type explicitly instead of guessing: integer -> text turned into nullable
  "Int64" by Python's int() (pandas 1.5's read_csv(dtype="Int64") goes through float64 when
  the column has missing values and rounds integers past 2^53), float ->
  float64 (read_csv's float_precision="round_trip", the correctly rounded parse DuckDB also
  does), string -> "string", boolean -> "boolean", date/timestamp -> text converted with
  pd.to_datetime and the file's explicit format.
* Missing values. DuckDB's CSV reader treats an empty field (quoted or not) as NULL and
  nothing else; pandas is told the same: keep_default_na=False, na_values=[""] (so "NA",
  "null", "n/a" stay text, as they do in DataMorph).
* Dialect. pandas is given the separator, decimal comma and encoding the ingest detects by
  itself (";" + decimal ",", tab, Windows-1252, UTF-8 with BOM).
* NDJSON. Nested objects are flattened by pd.json_normalize(sep="."), the same dotted
  names DataMorph gives; a list becomes its compact JSON text, as DataMorph stores it.
* XLSX is read by pandas through openpyxl (Debian's python3-openpyxl); the Parquet file was
  written by `datamorph convert` from sales_orders.csv, so pandas reads that CSV.
* distinct_count excludes nulls on both sides (pandas nunique(dropna=True)); DataMorph's is
  exact (GROUP BY), so equality is required, not an approximation.
* std is the sample standard deviation on both sides: DataMorph's stddev_samp, pandas'
  default ddof=1. mean and std of integer columns are computed in double precision on both.
* Quartiles: of numbers, over the finite values, interpolated linearly (pandas' default,
  DuckDB's quantile_cont); of dates and timestamps, the value at sorted position
  ceil(n * q) - 1 (DuckDB's quantile_disc), compared as ISO strings.
* Dates and timestamps: min/max compared as ISO-8601 strings ("YYYY-MM-DD" for dates,
  "YYYY-MM-DDTHH:MM:SS[.ffffff]" for timestamps). mean/std are null for them, and
  min/max/mean/std are null for text and booleans.

Tolerances: counts, distinct counts, integer min/max and ISO strings must be equal. Floats
(float min/max, every mean and std) agree to math.isclose(rel_tol=1e-9); the only absolute
slack is for a mean that cancels to near zero: abs_tol = 1e-9 * mean(|x|), because any
floating summation's error is bounded relative to the sum of |x|, not to the sum itself.
When pandas and DataMorph disagree beyond that, the exact value (rational arithmetic on
the parsed values, fractions.Fraction) decides: DataMorph passes if it is within 1e-9 of
the exact value (pandas being the one off, e.g. an overflowed int64 sum or an overflowed
square), and a warning records the case. Otherwise it is a failure.

Known DataMorph bugs found by this suite are listed in KNOWN_BUGS: their assertions are
excluded from the per-file test and checked by a strict xfail each, so fixing one turns
into an XPASS failure that asks to drop the entry.
"""

import functools
import json
import math
import os
import subprocess
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "tests", "data", "oracle")
BINARY = os.environ.get("DM_BINARY") or os.path.join(ROOT, "build", "datamorph")
REL = 1e-9


# ---------------------------------------------------------------- per-file specs


def wide_types():
    kinds = ("integer", "float", "string", "date")
    prefix = ("int", "float", "text", "date")
    return {f"{prefix[j % 4]}_{j:03d}": kinds[j % 4] for j in range(200)}


FILES = {
    "sales_orders.csv": dict(
        types={"order_id": "integer", "customer_id": "integer", "order_date": "date", "shipped_at": "timestamp",
               "region": "string", "product": "string", "quantity": "integer", "unit_price": "float",
               "discount": "float", "total": "float", "paid": "boolean", "note": "string"},
        formats={"order_date": "%Y-%m-%d", "shipped_at": "%Y-%m-%d %H:%M:%S"}),
    "sales_orders.parquet": dict(source="sales_orders.csv"),
    "sensor_readings.csv": dict(
        types={"sensor_id": "string", "read_at": "timestamp", "temperature_c": "float", "humidity_pct": "float",
               "pressure_hpa": "float", "battery_mv": "integer", "drift": "float", "status": "string"},
        formats={"read_at": "%Y-%m-%d %H:%M:%S.%f"}),
    "hr_employees.csv": dict(
        types={"emp_id": "integer", "full_name": "string", "department": "string", "hire_date": "date",
               "birth_date": "date", "salary": "integer", "bonus_pct": "float", "manager_id": "integer",
               "active": "boolean", "email": "string"},
        formats={"hire_date": "%Y-%m-%d", "birth_date": "%Y-%m-%d"}),
    "eu_prices.csv": dict(
        read=dict(sep=";", decimal=","),
        types={"artikel": "string", "kategorie": "string", "preis_eur": "float", "gewicht_kg": "float",
               "mwst_satz": "integer", "bestand": "integer", "aktualisiert": "date"},
        formats={"aktualisiert": "%d.%m.%Y"}),
    "web_logs.tsv": dict(
        read=dict(sep="\t"),
        types={"ts": "timestamp", "client_ip": "string", "method": "string", "path": "string",
               "status": "integer", "bytes": "integer", "latency_ms": "float", "user_agent": "string"},
        formats={"ts": "%Y-%m-%d %H:%M:%S"}),
    "events.ndjson": dict(
        reader="ndjson",
        types={"id": "integer", "event": "string", "ts": "timestamp", "user.id": "integer",
               "user.country": "string", "user.age": "integer", "value": "float", "device.os": "string",
               "device.screen.w": "integer", "device.screen.h": "integer", "tags": "string"},
        formats={"ts": "%Y-%m-%d %H:%M:%S"}),
    "wide_200.csv": dict(types=wide_types(), formats={f"date_{j:03d}": "%Y-%m-%d" for j in range(3, 200, 4)}),
    "magnitudes.csv": dict(
        types={"row": "integer", "tiny": "float", "large": "float", "mixed_sign_any_scale": "float",
               "planck_like": "float", "avogadro_like": "float"}),
    "extreme_magnitudes.csv": dict(
        types={"row": "integer", "cube_overflow": "float", "huge": "float", "mixed_sign_any_scale": "float",
               "small_int": "integer"}),
    "big_integers.csv": dict(
        types={"seq": "integer", "near_2_53": "integer", "signed_past_2_53": "integer",
               "near_int64_max": "integer", "near_int64_min": "integer", "wide_range": "integer"}),
    "survey_unicode.csv": dict(
        read=dict(encoding="utf-8-sig"),
        types={"response_id": "integer", "comment": "string", "nps": "integer", "referrer": "string",
               "form_version": "string", "city": "string", "score": "float"}),
    "customers_cp1252.csv": dict(
        read=dict(encoding="cp1252"),
        types={"customer_no": "string", "name": "string", "city": "string", "since": "date",
               "balance": "float", "orders": "integer"},
        formats={"since": "%Y-%m-%d"}),
    "budget.xlsx": dict(
        reader="xlsx",
        types={"department": "string", "month": "timestamp", "planned": "float", "actual": "float",
               "headcount": "integer", "approved": "boolean", "comment": "string"}),
}

# (file, column, statistic) -> why DataMorph is wrong there. See the module docstring.
KNOWN_BUGS = {}  # none known: the last three were fixed (-0.0 vs 0.0, overflowing moments, std near 2^53)

PANDAS_DTYPE = {"integer": "Int64", "float": "float64", "string": "string", "boolean": "boolean",
                "date": "string", "timestamp": "string"}


# ---------------------------------------------------------------- reading both sides


@functools.lru_cache(maxsize=None)
def profile(name, through_parquet=False):
    """(profile JSON, None) or (None, error text). Small files are profiled from tables of
    a scratch database; through_parquet forces the path large files take (DM_PROFILE_IN_MEMORY_MAX=0)."""
    path = os.path.join(DATA, name)
    env = dict(os.environ, DM_PROFILE_IN_MEMORY_MAX="0") if through_parquet else None
    run = subprocess.run([BINARY, "profile", path, "--format", "json"], capture_output=True, text=True,
                         timeout=300, env=env)
    if run.returncode != 0:
        return None, (run.stderr or run.stdout).strip()
    out = json.loads(run.stdout)
    if isinstance(out, list):  # a workbook with several sheets: one profile per sheet
        assert len(out) == 1, f"{name}: expected one table, got {len(out)}"
        out = out[0]
    return out, None


def spec_of(name):
    spec = FILES[name]
    return FILES[spec["source"]] if "source" in spec else spec


@functools.lru_cache(maxsize=None)
def oracle_frame(name):
    """The file as pandas reads it with the spec's explicit types and parse options."""
    src = FILES[name].get("source", name)
    spec = spec_of(name)
    types, path = spec["types"], os.path.join(DATA, src)
    reader = spec.get("reader", "csv")
    if reader == "csv":
        dtypes = {c: "string" if t == "integer" else PANDAS_DTYPE[t] for c, t in types.items()}
        df = pd.read_csv(path, dtype=dtypes, keep_default_na=False,
                         na_values=[""], float_precision="round_trip", **spec.get("read", {}))
    elif reader == "ndjson":
        with open(path, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
        df = pd.json_normalize(records, sep=".")
        for col in df.columns:
            if df[col].map(lambda v: isinstance(v, (list, dict))).any():
                df[col] = df[col].map(lambda v: json.dumps(v, separators=(",", ":"), ensure_ascii=False)
                                      if isinstance(v, (list, dict)) else v)
    elif reader == "xlsx":
        df = pd.read_excel(path, engine="openpyxl")
    else:
        raise AssertionError(reader)
    for col, t in types.items():
        if col not in df.columns:
            continue
        s = df[col]
        if t in ("date", "timestamp"):
            fmt = spec.get("formats", {}).get(col)
            df[col] = s if pd.api.types.is_datetime64_any_dtype(s) else pd.to_datetime(s, format=fmt)
        elif t == "integer":
            # Python int() on the text: exact to the last digit (see the module docstring).
            df[col] = pd.array([None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                                else int(v) for v in s.astype(object)], dtype="Int64")
        elif t == "float":
            df[col] = s.astype("float64")
        elif t == "boolean":
            df[col] = s.astype("boolean")
        else:
            df[col] = s.astype("string")
    return df


# ---------------------------------------------------------------- exact referee


def exact_mean(values):
    return float(sum(Fraction(v) for v in values) / len(values))


def exact_std(values):
    xs = [Fraction(v) for v in values]
    n = len(xs)
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1)
    if var == 0:
        return 0.0
    p, q = var.numerator, var.denominator
    k = max(0, 64 - (p.bit_length() - q.bit_length()) // 2)  # ~64 significant bits of sqrt
    return float(Fraction(math.isqrt((p << (2 * k)) // q), 1 << k))


def exact_values(s):
    """Exact numbers of a numeric column: Python ints for integer columns (not rounded)."""
    vals = s.dropna().tolist()
    return [int(v) for v in vals] if str(s.dtype) == "Int64" else [float(v) for v in vals]


def to_float(v):
    if v is None or v is pd.NA:
        return None
    f = float(v)
    return None if math.isnan(f) else f


def iso(v, kind):
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    ts = pd.Timestamp(v)
    return ts.date().isoformat() if kind == "date" else ts.isoformat()


# ---------------------------------------------------------------- the comparison


@functools.lru_cache(maxsize=None)
def compare(name):
    """[(column, statistic, ours, pandas, detail)] for every disagreement in `name`."""
    prof, err = profile(name)
    if prof is None:
        return [(None, "profile", err, "a profile", "datamorph profile failed")]
    spec = spec_of(name)
    df = oracle_frame(name)
    bad = []

    def miss(col, stat, ours, theirs, detail=""):
        bad.append((col, stat, ours, theirs, detail))

    if prof["row_count"] != len(df):
        miss(None, "row_count", prof["row_count"], len(df))
    ours_cols = {c["name"]: c for c in prof["columns"]}
    if sorted(ours_cols) != sorted(map(str, df.columns)):
        miss(None, "column names", sorted(ours_cols), sorted(map(str, df.columns)))
    if set(spec["types"]) != set(df.columns):
        miss(None, "spec", sorted(spec["types"]), sorted(df.columns), "the spec does not name every column")

    for col, kind in spec["types"].items():
        c = ours_cols.get(col)
        if c is None or col not in df.columns:
            continue
        s = df[col]
        if c["type"] != kind:
            miss(col, "type", c["type"], kind)
            continue
        for stat, theirs in (("count", int(s.notna().sum())), ("null_count", int(s.isna().sum())),
                             ("distinct_count", int(s.nunique(dropna=True)))):
            if c[stat] != theirs:
                miss(col, stat, c[stat], theirs)
        if kind in ("integer", "float"):
            compare_numeric(col, kind, c, s, miss)
        elif kind in ("date", "timestamp"):
            for stat, theirs in (("min", iso(s.min(), kind)), ("max", iso(s.max(), kind))):
                if c[stat] != theirs:
                    miss(col, stat, c[stat], theirs)
            # Quartiles as quantile_disc picks them: the value at position ceil(n * q) - 1.
            ordered = s.dropna().sort_values().tolist()
            for q, key in ((Fraction(1, 4), "p25"), (Fraction(1, 2), "p50"), (Fraction(3, 4), "p75")):
                theirs = iso(ordered[max(1, math.ceil(len(ordered) * q)) - 1], kind) if ordered else None
                ours = (c.get("quantiles") or {}).get(key)
                if ours != theirs:
                    miss(col, key, ours, theirs)
            for stat in ("mean", "std"):
                if c[stat] is not None:
                    miss(col, stat, c[stat], None, "no mean/std for a temporal column")
        else:
            for stat in ("min", "max", "mean", "std"):
                if c[stat] is not None:
                    miss(col, stat, c[stat], None, f"no {stat} for a {kind} column")
    return tuple(bad)


def compare_numeric(col, kind, c, s, miss):
    present = s.dropna()
    # min / max: integers exactly (JSON integers, no double rounding), floats to 1e-9.
    for stat, theirs in (("min", present.min() if len(present) else None),
                         ("max", present.max() if len(present) else None)):
        ours = c[stat]
        if theirs is None or theirs is pd.NA:
            if ours is not None:
                miss(col, stat, ours, None)
        elif kind == "integer":
            if not (isinstance(ours, int) and ours == int(theirs)):
                miss(col, stat, ours, int(theirs), "integer min/max must be exact")
        elif ours is None or not math.isclose(ours, float(theirs), rel_tol=REL, abs_tol=0):
            miss(col, stat, ours, float(theirs))

    # Quartiles of the finite values, interpolated linearly (pandas' default, quantile_cont's).
    finite = present.astype("float64")
    finite = finite[np.isfinite(finite)]
    for q, key in ((0.25, "p25"), (0.5, "p50"), (0.75, "p75")):
        theirs = to_float(finite.quantile(q)) if len(finite) else None
        ours = (c.get("quantiles") or {}).get(key)
        if theirs is None or ours is None:
            if ours != theirs:
                miss(col, key, ours, theirs)
        elif not math.isclose(ours, theirs, rel_tol=REL, abs_tol=REL * float(finite.abs().max())):
            miss(col, key, ours, theirs)

    exact = {"mean": exact_mean, "std": exact_std}
    for stat in ("mean", "std"):
        ours = c[stat]
        theirs = to_float(present.mean() if stat == "mean" else present.std(ddof=1)) if len(present) else None
        if stat == "std" and len(present) < 2:
            theirs = None
        if theirs is None:
            if ours is not None:
                miss(col, stat, ours, None)
            continue
        if ours is None:
            miss(col, stat, None, theirs)
            continue
        scale = float(present.astype("float64").abs().mean()) if stat == "mean" else 0.0
        abs_tol = REL * scale
        if math.isfinite(theirs) and math.isclose(ours, theirs, rel_tol=REL, abs_tol=abs_tol):
            continue
        # Disagreement: the exact value decides whether pandas or DataMorph is off.
        truth = exact[stat](exact_values(s))
        if math.isclose(ours, truth, rel_tol=REL, abs_tol=abs_tol):
            warnings.warn(f"{col}.{stat}: pandas {theirs!r} is off; DataMorph {ours!r} matches the exact "
                          f"value {truth!r}")
            continue
        miss(col, stat, ours, theirs, f"exact value {truth!r}")


# ---------------------------------------------------------------- tests


def test_binary_exists():
    assert os.access(BINARY, os.X_OK), f"no datamorph binary at {BINARY} (set DM_BINARY)"


def test_the_dozen_files_are_there():
    missing = [n for n in FILES if not os.path.isfile(os.path.join(DATA, n))]
    assert not missing, f"missing oracle files (run tests/profile_oracle/make_files.py): {missing}"
    assert len(FILES) >= 12


def _fmt(rows):
    return "\n".join(f"  {col or '(table)'}.{stat}: ours {ours!r} vs pandas {theirs!r}"
                     + (f" ({detail})" if detail else "") for col, stat, ours, theirs, detail in rows)


@pytest.mark.parametrize("name", sorted(FILES))
def test_profile_matches_pandas(name):
    bad = [m for m in compare(name) if (name, m[0], m[1]) not in KNOWN_BUGS]
    assert not bad, f"{name}: DataMorph's profile disagrees with pandas:\n{_fmt(bad)}"


def _differences(a, b, where=""):
    """Where two profiles differ: numbers beyond 1e-9 relative, anything else at all."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a.keys() ^ b.keys())}"]
        return [d for k in a for d in _differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} vs {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{where}[{i}]")]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return [] if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) else [f"{where}: {a!r} vs {b!r}"]
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


@pytest.mark.parametrize("name", sorted(FILES))
def test_profile_through_parquet_is_the_same(name):
    """Files over DM_PROFILE_IN_MEMORY_MAX go through Parquet scratch files: same profile."""
    in_tables, err = profile(name)
    assert in_tables is not None, err
    through_parquet, err = profile(name, through_parquet=True)
    assert through_parquet is not None, err
    diff = _differences(in_tables, through_parquet)
    assert not diff, f"{name}: in memory vs through Parquet:\n" + "\n".join(diff[:20])


@pytest.mark.parametrize("key", sorted(KNOWN_BUGS, key=str), ids=lambda k: ":".join(map(str, k)) if isinstance(k, tuple) else "none")
def test_known_bug(key):
    name, column, stat = key
    bad = [m for m in compare(name) if (m[0], m[1]) == (column, stat)]
    if bad:
        pytest.xfail(f"{KNOWN_BUGS[key]}\n{_fmt(bad)}")
    # Fixed: fail loudly so that the entry is removed and the statistic is checked again.
    pytest.fail(f"{name} {column}.{stat} now agrees with pandas: remove it from KNOWN_BUGS")
