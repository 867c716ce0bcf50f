#!/usr/bin/python3
"""make_wide_csv.py COLS ROWS OUT — writes a deterministic wide CSV of COLS mixed-type columns
and ROWS data rows (1,000 x 100,000 is ~0.5 GB), streamed in blocks of rows: memory stays
flat. Uses numpy (Debian's python3-numpy) to pick values; every column draws from its own
pool of preformatted values, so a block is a fancy-index and a join, not 1e8 Python calls.

Column j has kind j % 6: integer (pool of 10..10,000 values), float (2-4 decimals,
negative too), category text (5..500 labels), date (ISO), boolean (true/false) and
free-ish text ("word-123"); every third column has ~8% missing values."""
import sys

import numpy as np

KINDS = ("int", "float", "cat", "date", "bool", "text")
BLOCK = 2000


def pools(cols, rng):
    out = []
    for j in range(cols):
        kind = KINDS[j % len(KINDS)]
        size = int(10 ** (1 + (j // len(KINDS)) % 4))  # 10, 100, 1,000 or 10,000 values
        if kind == "int":
            vals = [str(v) for v in rng.integers(-size * 10, size * 10, size)]
        elif kind == "float":
            dec = 2 + j % 3
            vals = [f"{v:.{dec}f}" for v in rng.normal(j, 1 + j % 97, size)]
        elif kind == "cat":
            vals = [f"cat{j % 13}_{k}" for k in range(min(size, 500) // 2 + 5)]
        elif kind == "date":
            days = np.datetime64("1990-01-01") + rng.integers(0, 12000, min(size, 12000))
            vals = [str(d) for d in days]
        elif kind == "bool":
            vals = ["true", "false"]
        else:
            vals = [f"w{k % 7}-{k}" for k in range(size)]
        if j % 3 == 0:
            vals = vals + [""] * max(1, len(vals) // 12)  # ~8% missing
        out.append(np.array(vals, dtype=object))
    return out


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    cols, rows, path = int(argv[1]), int(argv[2]), argv[3]
    rng = np.random.default_rng(20240601)
    ps = pools(cols, rng)
    names = [f"{KINDS[j % len(KINDS)]}_{j:04d}" for j in range(cols)]
    with open(path, "w", newline="", buffering=1 << 22) as out:
        out.write(",".join(names) + "\n")
        done = 0
        while done < rows:
            n = min(BLOCK, rows - done)
            block = np.empty((n, cols), dtype=object)
            for j, pool in enumerate(ps):
                block[:, j] = pool[rng.integers(0, len(pool), n)]
            out.write("\n".join(",".join(r) for r in block.tolist()) + "\n")
            done += n
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
