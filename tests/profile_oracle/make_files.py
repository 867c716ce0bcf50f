#!/usr/bin/python3
"""Writes the pandas-oracle test files under tests/data/oracle/ (run once; the files are committed).

Deterministic: every value comes from random.Random(seed) per file, so running it again
rewrites byte-identical CSV/TSV/NDJSON files and the same Parquet file; the XLSX's cells are
the same each time, only its zip entries' timestamps differ.

    /usr/bin/python3 tests/profile_oracle/make_files.py [--datamorph build/datamorph]

Needs Debian's python3-openpyxl for the XLSX and a datamorph binary for the Parquet file
(skipped with a warning when absent). Each file stays well under 200 KB.
"""

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "oracle")

FIRST = ["Anna", "Bruno", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro", "Ines", "João", "Kai",
         "Lena", "Mateo", "Nadia", "Olu", "Priya", "Quentin", "Rosa", "Søren", "Tariq", "Uma", "Viktor",
         "Wei", "Ximena", "Yusuf", "Zoë"]
LAST = ["Müller", "García", "Nguyen", "O'Brien", "Kowalski", "Rossi", "Dubois", "Tanaka", "Smith",
        "Johansson", "Novák", "Silva", "Öztürk", "Ivanova", "Khan", "Lefèvre"]
REGIONS = ["North", "South", "East", "West", "Central"]
PRODUCTS = ["Widget", "Gadget", "Gizmo", "Doohickey", "Sprocket", "Flange", "Bracket, large",
            "Bracket, small", 'Panel 24"', "Cable 2m"]


def write_text(name, text, encoding="utf-8", newline="\n"):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding=encoding, newline=newline) as f:
        f.write(text)
    return path


def csv_field(v, sep=","):
    if v is None:
        return ""
    s = str(v)
    if any(ch in s for ch in (sep, '"', "\n", "\r")):
        return '"' + s.replace('"', '""') + '"'
    return s


def csv_text(header, rows, sep=",", eol="\n"):
    lines = [sep.join(csv_field(h, sep) for h in header)]
    lines += [sep.join(csv_field(v, sep) for v in r) for r in rows]
    return eol.join(lines) + eol


def fmt_float(x, digits=None):
    return repr(float(x)) if digits is None else f"{x:.{digits}f}"


# 1. Sales orders: ints, money floats, dates, timestamps with gaps, booleans, quoted text.
def sales_orders():
    r = random.Random(101)
    rows = []
    start = dt.date(2023, 1, 1)
    for i in range(2000):
        d = start + dt.timedelta(days=r.randrange(0, 500))
        shipped = None
        if r.random() > 0.12:
            shipped = dt.datetime.combine(d, dt.time()) + dt.timedelta(days=r.randrange(0, 6),
                                                                        seconds=r.randrange(0, 86400))
        qty = None if r.random() < 0.04 else r.randrange(1, 40)
        price = round(r.uniform(0.5, 2500), 2)
        disc = None if r.random() < 0.3 else r.choice([0.0, 0.05, 0.1, 0.15, 0.2, 0.25])
        total = None if qty is None else round(qty * price * (1 - (disc or 0)), 2)
        note = r.choice([None, None, None, "rush", "gift wrap", 'call "before" delivery',
                         "leave at door, side gate", "fragile"])
        rows.append([100000 + i, r.randrange(1, 800), d.isoformat(),
                     shipped.isoformat(sep=" ") if shipped else None, r.choice(REGIONS),
                     r.choice(PRODUCTS), qty, fmt_float(price, 2), None if disc is None else fmt_float(disc, 2),
                     None if total is None else fmt_float(total, 2), r.choice(["true", "false"]), note])
    header = ["order_id", "customer_id", "order_date", "shipped_at", "region", "product", "quantity",
              "unit_price", "discount", "total", "paid", "note"]
    return write_text("sales_orders.csv", csv_text(header, rows))


# 2. Sensor readings: negative values, missing readings, millisecond timestamps, -0.0 and 0.0.
def sensor_readings():
    r = random.Random(202)
    rows = []
    t0 = dt.datetime(2024, 1, 15, 0, 0, 0)
    for i in range(2800):
        ts = t0 + dt.timedelta(milliseconds=i * 61_250 + r.randrange(0, 999))
        temp = None if r.random() < 0.07 else round(r.gauss(-3.5, 9.0), 3)
        if i in (17, 911):
            temp = -0.0  # the sensor prints a signed zero
        if i in (18, 1500):
            temp = 0.0
        hum = None if r.random() < 0.05 else round(r.uniform(5, 100), 1)
        press = round(r.gauss(1013.25, 8.0), 2)
        batt = None if r.random() < 0.02 else r.randrange(2900, 4200)
        delta = round(r.gauss(0, 0.004), 6)
        rows.append([f"S-{r.randrange(1, 40):03d}", ts.isoformat(sep=" ", timespec="milliseconds"),
                     None if temp is None else repr(temp), None if hum is None else fmt_float(hum, 1),
                     fmt_float(press, 2), batt, repr(delta), r.choice(["ok", "ok", "ok", "warn", "fault"])])
    header = ["sensor_id", "read_at", "temperature_c", "humidity_pct", "pressure_hpa", "battery_mv",
              "drift", "status"]
    return write_text("sensor_readings.csv", csv_text(header, rows))


# 3. HR table: dates before 1970, unicode names, nullable manager id, CRLF line ends.
def hr_employees():
    r = random.Random(303)
    rows = []
    for i in range(1200):
        first, last = r.choice(FIRST), r.choice(LAST)
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=r.randrange(0, 365 * 52))
        hire = dt.date(1985, 1, 1) + dt.timedelta(days=r.randrange(0, 365 * 39))
        mgr = None if i < 15 or r.random() < 0.05 else 1000 + r.randrange(0, 15)
        rows.append([1000 + i, f"{first} {last}", r.choice(["Sales", "R&D", "Finance", "Ops", "HR", "Legal"]),
                     hire.isoformat(), birth.isoformat(), r.randrange(28000, 185000, 500),
                     fmt_float(round(r.uniform(0, 22.5), 2), 2), mgr, r.choice(["true", "false", "true"]),
                     f"{first.lower()}.{last.lower().replace(chr(39), '')}{i}@example.com"])
    header = ["emp_id", "full_name", "department", "hire_date", "birth_date", "salary", "bonus_pct",
              "manager_id", "active", "email"]
    return write_text("hr_employees.csv", csv_text(header, rows, eol="\r\n"), newline="")


# 4. European export: semicolon separator, decimal comma, dd.mm.yyyy dates.
def eu_prices():
    r = random.Random(404)
    rows = []
    for i in range(1500):
        price = round(r.uniform(0.2, 1999), 2)
        weight = None if r.random() < 0.1 else round(r.uniform(0.01, 80), 3)
        d = dt.date(2022, 1, 1) + dt.timedelta(days=r.randrange(0, 900))
        rows.append([f"ART-{i:05d}", r.choice(["Käse", "Brot", "Äpfel", "Wurst", "Bier", "Kaffee", "Tee"]),
                     f"{price:.2f}".replace(".", ","), None if weight is None else f"{weight:.3f}".replace(".", ","),
                     r.choice(["7", "19"]), r.randrange(-50, 500), d.strftime("%d.%m.%Y")])
    header = ["artikel", "kategorie", "preis_eur", "gewicht_kg", "mwst_satz", "bestand", "aktualisiert"]
    return write_text("eu_prices.csv", csv_text(header, rows, sep=";"))


# 5. Web server log as TSV.
def web_logs():
    r = random.Random(505)
    rows = []
    t0 = dt.datetime(2024, 6, 1, 0, 0, 0)
    paths = ["/", "/login", "/api/v1/items", "/api/v1/items/42", "/static/app.js", "/search?q=a,b", "/health"]
    agents = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.4.0", "Googlebot/2.1", "python-requests/2.31"]
    for i in range(2200):
        ts = t0 + dt.timedelta(seconds=i * 13 + r.randrange(0, 13))
        status = r.choice([200] * 12 + [201, 204, 301, 304, 400, 401, 403, 404, 404, 500, 503])
        size = None if status in (204, 304) else r.randrange(0, 250000)
        rows.append([ts.isoformat(sep=" "), f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}",
                     r.choice(["GET"] * 5 + ["POST", "PUT", "DELETE"]), r.choice(paths), status, size,
                     fmt_float(round(r.lognormvariate(3, 1.1), 3), 3), r.choice(agents)])
    header = ["ts", "client_ip", "method", "path", "status", "bytes", "latency_ms", "user_agent"]
    return write_text("web_logs.tsv", csv_text(header, rows, sep="\t"))


# 6. NDJSON events with nested objects (flattened to dotted names) and a list.
def events():
    r = random.Random(606)
    lines = []
    t0 = dt.datetime(2024, 2, 1, 8, 0, 0)
    for i in range(900):
        ev = {"id": i + 1, "event": r.choice(["view", "click", "purchase", "signup"]),
              "ts": (t0 + dt.timedelta(seconds=i * 37 + r.randrange(37))).isoformat(sep=" ")}
        if r.random() > 0.1:
            user = {"id": r.randrange(1, 500), "country": r.choice(["DE", "FR", "US", "JP", "BR", "IN"]),
                    "age": None if r.random() < 0.2 else r.randrange(16, 90)}
            ev["user"] = user
        ev["value"] = None if r.random() < 0.4 else round(r.uniform(-20, 300), 2)
        ev["device"] = {"os": r.choice(["android", "ios", "linux", "windows"]),
                        "screen": {"w": r.choice([360, 390, 1280, 1920]), "h": r.choice([640, 844, 720, 1080])}}
        ev["tags"] = r.sample(["new", "promo", "mobile", "ab-b"], r.randrange(0, 3))
        lines.append(json.dumps(ev, ensure_ascii=False))
    return write_text("events.ndjson", "\n".join(lines) + "\n")


# 7. A wide table: 200 columns of four kinds.
def wide_table():
    r = random.Random(707)
    ncols, nrows = 200, 120
    header, kinds = [], []
    for j in range(ncols):
        kind = ("int", "float", "text", "date")[j % 4]
        header.append(f"{kind}_{j:03d}")
        kinds.append(kind)
    rows = []
    for _ in range(nrows):
        row = []
        for j, kind in enumerate(kinds):
            if j % 7 == 3 and r.random() < 0.15:
                row.append(None)
            elif kind == "int":
                row.append(r.randrange(-10 ** (1 + j % 6), 10 ** (1 + j % 6)))
            elif kind == "float":
                row.append(repr(round(r.gauss(j, 1 + j), 4)))
            elif kind == "text":
                row.append(r.choice(["alpha", "beta", "gamma", "delta", "épsilon", "zeta"]) + str(r.randrange(j + 2)))
            else:
                row.append((dt.date(2000, 1, 1) + dt.timedelta(days=r.randrange(0, 9000))).isoformat())
        rows.append(row)
    return write_text("wide_200.csv", csv_text(header, rows))


# 8. Magnitudes from 1e-300 to 1e100 in scientific notation (cubes still representable;
#    the tiny column's squares underflow to zero).
def magnitudes():
    r = random.Random(808)
    rows = []
    for i in range(1500):
        tiny = r.uniform(1, 10) * 10.0 ** r.randrange(-300, -250)
        large = r.uniform(1, 10) * 10.0 ** r.randrange(60, 100)
        mixed = r.choice([-1, 1]) * r.uniform(1, 10) * 10.0 ** r.randrange(-300, 100)
        planck = r.gauss(6.62607015e-34, 1e-40)
        avogadro = None if r.random() < 0.1 else r.gauss(6.02214076e23, 1e17)
        rows.append([i, repr(tiny), repr(large), repr(mixed), repr(planck), None if avogadro is None else repr(avogadro)])
    header = ["row", "tiny", "large", "mixed_sign_any_scale", "planck_like", "avogadro_like"]
    return write_text("magnitudes.csv", csv_text(header, rows))


# 8b. Magnitudes past 1e103 (cubes overflow a double: skewness) and up to 1e300 (squares
#     overflow: variance), each in its own column.
def extreme_magnitudes():
    r = random.Random(818)
    rows = []
    for i in range(500):
        cube_overflow = r.uniform(1, 10) * 10.0 ** r.randrange(110, 150)
        huge = r.uniform(1, 10) * 10.0 ** r.randrange(250, 300)
        mixed = r.choice([-1, 1]) * r.uniform(1, 10) * 10.0 ** r.randrange(-300, 300)
        rows.append([i, repr(cube_overflow), repr(huge), repr(mixed), r.randrange(0, 100)])
    header = ["row", "cube_overflow", "huge", "mixed_sign_any_scale", "small_int"]
    return write_text("extreme_magnitudes.csv", csv_text(header, rows))


# 9. Integers near 2^53 and near the int64 limits.
def big_integers():
    r = random.Random(909)
    two53 = 2 ** 53
    rows = []
    for i in range(1000):
        rows.append([i, two53 - 600 + r.randrange(0, 1200),            # straddles 2^53
                     r.choice([-1, 1]) * (two53 + r.randrange(0, 10 ** 6)),
                     2 ** 63 - 1 - r.randrange(0, 10 ** 12),           # near INT64_MAX
                     -(2 ** 63) + r.randrange(0, 10 ** 12),            # near INT64_MIN
                     None if r.random() < 0.05 else r.randrange(-(2 ** 62), 2 ** 62)])
    header = ["seq", "near_2_53", "signed_past_2_53", "near_int64_max", "near_int64_min", "wide_range"]
    return write_text("big_integers.csv", csv_text(header, rows))


# 10. Survey with unicode text, an all-null column, a constant column; UTF-8 BOM.
def survey_unicode():
    r = random.Random(1010)
    answers = ["très bien 👍", "最高です", "очень хорошо", "جيد جدا", "good", "ok 🙂", "naïve café",
               "Ελληνικά", "שלום", "ज़बरदस्त", "  padded  ", "ümlaut Ä", "🚀🚀🚀", "mixed 漢字 and ascii"]
    rows = []
    for i in range(1000):
        rows.append([i + 1, r.choice(answers), None if r.random() < 0.25 else r.randrange(1, 11), None,
                     "v2", r.choice(["Zürich", "São Paulo", "Kraków", "Reykjavík", "東京", "Москва"]),
                     None if r.random() < 0.5 else round(r.uniform(0, 1), 4)])
    header = ["response_id", "comment", "nps", "referrer", "form_version", "city", "score"]
    text = csv_text(header, rows)
    path = os.path.join(OUT, "survey_unicode.csv")
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


# 11. A legacy export in Windows-1252 with accented names.
def customers_cp1252():
    r = random.Random(1111)
    rows = []
    for i in range(1200):
        rows.append([f"C{i:05d}", f"{r.choice(FIRST[:12])} {r.choice(['Müller', 'Lefèvre', 'García', 'Ångström', 'Smith'])}",
                     r.choice(["Düsseldorf", "Besançon", "Málaga", "Göteborg", "Leeds"]),
                     (dt.date(2015, 1, 1) + dt.timedelta(days=r.randrange(0, 3000))).isoformat(),
                     fmt_float(round(r.uniform(-500, 25000), 2), 2), r.randrange(0, 120)])
    header = ["customer_no", "name", "city", "since", "balance", "orders"]
    return write_text("customers_cp1252.csv", csv_text(header, rows), encoding="cp1252")


# 12. An XLSX budget written by openpyxl (dates, floats with gaps, booleans).
def budget_xlsx():
    import openpyxl
    r = random.Random(1212)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["department", "month", "planned", "actual", "headcount", "approved", "comment"])
    for i in range(1200):
        month = dt.datetime(2020 + i // 240, 1 + (i // 20) % 12, 1)
        planned = round(r.uniform(1000, 90000), 2)
        actual = None if r.random() < 0.15 else round(planned * r.uniform(0.7, 1.3), 2)
        ws.append([r.choice(["Sales", "R&D", "Finance", "Ops", "HR"]) + f" {i % 20}", month, planned, actual,
                   r.randrange(1, 60), r.random() < 0.8, r.choice([None, None, "on track", "über Plan", "review"])])
    wb.properties.created = dt.datetime(2024, 1, 1)
    wb.properties.modified = dt.datetime(2024, 1, 1)
    path = os.path.join(OUT, "budget.xlsx")
    wb.save(path)
    return path


# 13. Parquet: the sales orders through `datamorph convert` (pandas reads the CSV it came from).
def sales_parquet(binary):
    src = os.path.join(OUT, "sales_orders.csv")
    dst = os.path.join(OUT, "sales_orders.parquet")
    if not binary or not os.access(binary, os.X_OK):
        print(f"warning: no datamorph binary ({binary}); {dst} not rewritten", file=sys.stderr)
        return None
    subprocess.run([binary, "convert", src, dst], check=True)
    return dst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--datamorph", default=os.path.join(ROOT, "build", "datamorph"))
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    made = [sales_orders(), sensor_readings(), hr_employees(), eu_prices(), web_logs(), events(), wide_table(),
            magnitudes(), extreme_magnitudes(), big_integers(), survey_unicode(), customers_cp1252(), budget_xlsx(),
            sales_parquet(args.datamorph)]
    for p in made:
        if p:
            print(f"{os.path.getsize(p):>9,} {os.path.relpath(p, ROOT)}")


if __name__ == "__main__":
    main()
