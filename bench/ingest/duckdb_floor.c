/* duckdb_floor IN.csv OUT.parquet — the floor for CSV ingestion: DuckDB alone, with the
 * same libduckdb.so the server links (third_party/duckdb), running
 *   COPY (SELECT * FROM read_csv('IN')) TO 'OUT' (FORMAT parquet, COMPRESSION zstd)
 * in an in-memory database with default settings, timing the COPY alone.  Prints one JSON line:
 *   {"seconds":..., "rows":..., "peak_rss_mb":..., "duckdb_version":"..."}
 * Built by bench/ingest/run.sh with cc; exits non-zero on any DuckDB error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "duckdb.h"

static char* quote_literal(const char* s) {
  size_t n = strlen(s), j = 0;
  char* out = malloc(2 * n + 3);
  if (!out) exit(2);
  out[j++] = '\'';
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\'') out[j++] = '\'';
    out[j++] = s[i];
  }
  out[j++] = '\'';
  out[j] = 0;
  return out;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s IN.csv OUT.parquet\n", argv[0]);
    return 2;
  }
  char *in = quote_literal(argv[1]), *out = quote_literal(argv[2]);
  size_t len = strlen(in) + strlen(out) + 128;
  char* sql = malloc(len);
  snprintf(sql, len, "COPY (SELECT * FROM read_csv(%s)) TO %s (FORMAT parquet, COMPRESSION zstd)", in, out);

  duckdb_database db;
  duckdb_connection con;
  duckdb_result result;
  if (duckdb_open(NULL, &db) != DuckDBSuccess) {
    fprintf(stderr, "duckdb_open failed\n");
    return 1;
  }
  if (duckdb_connect(db, &con) != DuckDBSuccess) {
    fprintf(stderr, "duckdb_connect failed\n");
    return 1;
  }
  double t0 = now(); /* the COPY alone: opening an in-memory database is not ingestion */
  if (duckdb_query(con, sql, &result) != DuckDBSuccess) {
    fprintf(stderr, "COPY failed: %s\n", duckdb_result_error(&result));
    duckdb_destroy_result(&result);
    return 1;
  }
  double seconds = now() - t0;
  /* COPY answers one row: the number of rows written. */
  int64_t rows = duckdb_value_int64(&result, 0, 0);
  duckdb_destroy_result(&result);
  duckdb_disconnect(&con);
  duckdb_close(&db);

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"seconds\": %.3f, \"rows\": %lld, \"peak_rss_mb\": %.1f, \"duckdb_version\": \"%s\"}\n", seconds,
         (long long)rows, ru.ru_maxrss / 1024.0, duckdb_library_version());
  free(sql);
  free(in);
  free(out);
  return 0;
}
