#!/usr/bin/env python3
"""Regenerates the dirty CSVs of the suggestion corpus (deterministic). The expected
suggestions are hand-written in <name>.csv.expected.json; rerun this only when changing the data."""
import csv
import random


def write(name, header, rows):
    with open(name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


def places():
    rnd = random.Random(7)
    rows = []

    def add(city, state, country, code, n):
        rows.extend([[city, state, country, code]] * n)

    add("New York", "New York", "United States", "NY", 12)
    add("new york ", "New York", "United States", "NY", 2)
    add("NEW YORK", "New York", "United States", "NY", 1)
    add("Newyork", "New York", "United States", "NY", 1)
    add("St. Louis", "Missouri", "United States", "MO", 6)
    add("St Louis", "Missouri", "United States", "MO", 2)
    add("Zürich", "Zurich", "Switzerland", "ZH", 5)
    add("Zurich", "Zurich", "Switzerland", "ZH", 2)
    add("Los Angeles", "California", "United States", "CA", 10)
    add("Los Angeles", "Califronia", "United States", "CA", 1)
    add("San Francisco", "california", "United States", "CA", 2)
    add("Vienna", "Vienna", "Austria", "W", 6)
    add("Sydney", "New South Wales", "Australia", "NSW", 6)
    add("Denver", "Colorado", "United States", "CO", 4)
    add("Philadelphia", "Pennsylvania", "United States", "PA", 5)
    add("Philadelpia", "Pensylvania", "United States", "PA", 1)
    add("Jersey City", "New Jersey", "United States", "NJ", 3)
    add("Portland", "Oregon", "United States", "OR", 3)
    add("Portland", "Maine", "United States", "ME", 1)
    rnd.shuffle(rows)
    lines = ["Route 1", "Route 2", "Type A", "Type B"]
    write("places.csv", ["id", "city", "state", "country", "code", "line"],
          [[i + 1] + r + [lines[i % 4]] for i, r in enumerate(rows)])


def money():
    amounts = ["$1,200.00", "1200", "$950.50", "2,300", "N/A", None, "$80", "1,050.25", "-", "700"]
    weights = ["12 kg", "12.5kg", "13 kg", "n/a", "11 kg", "14.2 kg", "10kg", "9 kg", "12 kg", "15 kg"]
    mixed = ["12 kg", "26 lb", "13 kg", "30 lb", "11 kg", "12 kg", "25 lb", "9 kg", "12 kg", "15 kg"]
    discount = ["15%", "20%", "5%", "10%", "0%", "15%", "20%", "5%", "12.5%", "N/A"]
    zips = ["02134", "10001", "02139", "60601", "94105", "02134", "10001", "73301", "02110", "30301"]
    phones = ["555-1234", "555-9876", "555-0000", "555-1111", "555-2222",
              "555-3333", "555-4444", "555-5555", "555-6666", "555-7777"]
    rows = []
    for k in range(4):
        for i in range(10):
            rows.append([k * 10 + i + 1, amounts[i], weights[i], mixed[i], discount[i], zips[i], phones[i]])
    write("money.csv", ["id", "amount", "weight", "mixed_weight", "discount", "zip", "phone"], rows)


def dates():
    signup = ["03/14/2021", "2021-04-03", "April 3, 2021", "N/A", "12/25/2020", "2020-12-25", "01/02/2022",
              "2022-02-01", "Mar 7, 2021", "2021-03-07"]
    birthday = ["25/12/1990", "01/02/1985", "13/07/1979", "30/01/2000", "05/05/1995", "17/03/1988",
                "08/11/1992", "22/09/1970", "14/02/1999", "31/10/1983"]
    batch = ["2021-15", "2021-16", "2020-01", "2019-52", "2021-15", "2021-16", "2020-01", "2019-52",
             "2021-15", "2021-16"]
    rows = []
    for k in range(3):
        for i in range(10):
            rows.append([k * 10 + i + 1, signup[i], birthday[i], batch[i]])
    write("dates.csv", ["id", "signup", "birthday", "batch"], rows)


def misc():
    rnd = random.Random(11)
    rows = []
    for i in range(1, 61):
        age = 20 + (i * 7) % 45
        if i in (5, 17, 33):
            age = None
        if i == 40:
            age = 430
        score = round(50 + (i * 13) % 40 + 0.5, 1)
        if i in (8, 9):
            score = -999
        income = None if i % 5 == 0 else round(20000 * (1.0 + (i % 7) ** 2.5 / 3.0), 2)
        active = ["yes", "no", "Y", "N", "Yes"][i % 5]
        segment = ["Retail", "Wholesale", "Retail", "Online", "N/A", "Retail", "none", "Online", "Wholesale",
                   None][i % 10]
        rows.append([i, age, score, income, active, "web", segment, None])
    rows.append(rows[9][:])
    rows.append(rows[10][:])
    rows.append(rows[10][:])
    rows.append([None] * 8)
    rows.append([None] * 8)
    write("misc.csv", ["id", "age", "score", "income", "active", "source", "segment", "unused"], rows)


if __name__ == "__main__":
    places()
    money()
    dates()
    misc()
