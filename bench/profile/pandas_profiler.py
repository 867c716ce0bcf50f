#!/usr/bin/python3
"""pandas_profiler.py FILE.csv — the column profile the original design's Python stack would
compute, written the way that stack writes it (pandas, Debian's python3-pandas):

    df = pd.read_csv(FILE)
    df.describe(include="all")            count/mean/std/min/quartiles/max, top/freq
    df.nunique()                          distinct counts
    df.isna().sum()                       null counts
    s.value_counts().head(10)             top values, per column
    np.histogram(s.dropna(), bins=20)     numeric histograms
    df.duplicated().sum()                 duplicate rows
    df.corr(numeric_only=True)            Pearson matrix

Prints one JSON line: {"seconds", "read_seconds", "profile_seconds", "rows", "columns",
"peak_rss_mb" (getrusage, includes the interpreter), "pandas_version"}. The caller measures
wall time and peak RSS from outside as well (/usr/bin/time -v).
"""
import json
import resource
import sys
import time

t_import = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def main(path):
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    t1 = time.perf_counter()
    summary = df.describe(include="all")
    distinct = df.nunique()
    nulls = df.isna().sum()
    top = {c: df[c].value_counts().head(10) for c in df.columns}
    hist = {}
    for c in df.select_dtypes(include="number").columns:
        s = df[c].dropna()
        if len(s):
            hist[c] = np.histogram(s, bins=20)
    duplicates = int(df.duplicated().sum())
    corr = df.corr(numeric_only=True)
    t2 = time.perf_counter()
    # Touch the results so nothing is optimised away and the shapes are visible.
    assert len(summary.columns) == df.shape[1] and len(distinct) == len(nulls) == len(top) == df.shape[1]
    print(json.dumps({"seconds": round(t2 - t0, 3), "read_seconds": round(t1 - t0, 3),
                      "profile_seconds": round(t2 - t1, 3), "import_seconds": round(t0 - t_import, 3),
                      "rows": len(df), "columns": df.shape[1], "duplicates": duplicates,
                      "histograms": len(hist), "corr_columns": corr.shape[0],
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
                      "pandas_version": pd.__version__}))


if __name__ == "__main__":
    main(sys.argv[1])
