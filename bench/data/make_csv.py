#!/usr/bin/python3
"""make_csv.py ROWS OUT — writes a deterministic CSV of ROWS data rows (plus a header) with
mixed types, about 100 bytes a row (10,000,000 rows ~ 1 GB), streamed: memory stays flat.
OUT may be '-' for stdout.  Standard library only.

Columns: order_id (int), customer_id (int), quantity (int, ~4% missing), unit_price (float),
discount (float, ~10% missing), order_date (date), shipped_at (timestamp, ~6% missing),
category (12 values), country (20 codes), status (5 values), priority (bool), note (free text,
sometimes quoted with a comma, ~15% missing)."""
import sys

CATEGORIES = ["books", "electronics", "garden", "toys", "grocery", "beauty", "sports", "music", "office",
              "automotive", "health", "pets"]
COUNTRIES = ["US", "DE", "FR", "GB", "JP", "BR", "IN", "CN", "CA", "AU", "ES", "IT", "NL", "SE", "PL", "MX",
             "KR", "CH", "BE", "AT"]
STATUSES = ["pending", "shipped", "delivered", "returned", "canceled"]
WORDS = ["fast", "delivery", "gift", "wrap", "please", "call", "before", "arrival", "fragile", "handle",
         "with", "care", "leave", "at", "door", "blue", "large", "small", "backorder", "thanks"]
HEADER = ("order_id,customer_id,quantity,unit_price,discount,order_date,shipped_at,category,country,status,"
          "priority,note\n")
BATCH = 20000


def month_days(year, month):
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    rows = int(argv[1])
    dates = [f"{y:04d}-{m:02d}-{d:02d}" for y in range(2019, 2025) for m in range(1, 13)
             for d in range(1, month_days(y, m) + 1)]
    times = [f"{h:02d}:{mi:02d}:{s:02d}" for h in range(24) for mi in range(60) for s in (0, 17, 34, 51)]
    notes = []
    for k in range(509):
        words = [WORDS[(k * 7 + j * 3) % len(WORDS)] for j in range(2 + k % 5)]
        text = " ".join(words)
        notes.append(f'"{text}, ref {k}"' if k % 5 == 0 else text)
    notes += [""] * 90  # ~15% missing
    nd, nt, nn = len(dates), len(times), len(notes)
    out = sys.stdout if argv[2] == "-" else open(argv[2], "w", newline="", buffering=1 << 20)
    try:
        out.write(HEADER)
        i = 0
        while i < rows:
            end = min(rows, i + BATCH)
            lines = []
            append = lines.append
            for n in range(i + 1, end + 1):
                h = (n * 2654435761) & 0xFFFFFFFF
                q = "" if h % 25 == 0 else str(1 + h % 9)
                price = f"{(h % 100000) / 100:.2f}"
                disc = "" if h % 10 == 3 else f"0.{h % 50:02d}"
                day = h % nd
                shipped = "" if h % 17 == 5 else f"{dates[min(nd - 1, day + h % 5)]} {times[(h >> 7) % nt]}"
                append(f"{n},{100000 + (h >> 9) % 900000},{q},{price},{disc},{dates[day]},{shipped},"
                       f"{CATEGORIES[(h >> 3) % 12]},{COUNTRIES[(h >> 5) % 20]},{STATUSES[(h >> 11) % 5]},"
                       f"{'true' if h & 64 else 'false'},{notes[(h >> 13) % nn]}\n")
            out.write("".join(lines))
            i = end
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
