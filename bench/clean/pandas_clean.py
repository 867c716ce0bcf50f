#!/usr/bin/python3
"""pandas_clean.py IN.csv OUT.pkl ROWS — the benchmark recipe (bench/clean/recipe.json) in pandas.

Reads IN.csv (the dirty dataset exported as CSV; pyarrow is not assumed, so pandas cannot read
the Parquet file) -- NOT timed -- then times the five steps and writing the result
(DataFrame.to_pickle, pandas' fastest native format; DataMorph's time includes writing zstd
Parquet):
  1. fill_missing quantity with the median      2. strip category and note
  3. map lower-case country codes to upper case  4. parse amount ("$1,234.50", "3.5 kg", ...)
  5. drop exact duplicate rows, keeping the first
Prints one JSON line: {"seconds", "read_seconds", "rows", "peak_rss_mb", "pandas_version"}."""
import json
import resource
import sys
import time

import pandas as pd


def main(argv):
    src, out, expected_rows = argv[1], argv[2], int(argv[3])
    t0 = time.perf_counter()
    df = pd.read_csv(src, keep_default_na=True)
    read_seconds = time.perf_counter() - t0
    mapping = json.load(open(argv[4]))[2]["mapping"] if len(argv) > 4 else {}

    t1 = time.perf_counter()
    df["quantity"] = df["quantity"].fillna(df["quantity"].median()).round().astype("int64")
    for column in ("category", "note"):
        df[column] = df[column].str.strip()
    df["country"] = df["country"].replace(mapping)
    s = df["amount"].str.strip()
    negative = s.str.contains(r"^\(.*\)$|^[^0-9]*-", regex=True, na=False)
    percent = s.str.endswith("%", na=False)
    number = s.str.extract(r"(\d[\d.,' ]*\d|\d|[.,]\d+)", expand=False)
    number = number.str.replace(r"[ ']", "", regex=True).str.replace(",", "", regex=False)
    value = pd.to_numeric(number, errors="coerce")
    value = value.where(~negative, -value)
    df["amount"] = value.where(~percent, value / 100.0)
    df = df.drop_duplicates(keep="first")
    df.to_pickle(out)
    seconds = time.perf_counter() - t1

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"seconds": round(seconds, 3), "read_seconds": round(read_seconds, 3), "rows": len(df),
                      "peak_rss_mb": round(rss, 1), "pandas_version": pd.__version__,
                      "status": "ok" if len(df) == expected_rows else "wrong-result"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
