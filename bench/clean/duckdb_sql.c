/* duckdb_sql SQL_FILE [SETUP_SQL_FILE] — runs the statement(s) in SQL_FILE with the same
 * libduckdb.so the server links (third_party/duckdb), in an in-memory database with default
 * settings, timing only SQL_FILE (SETUP_SQL_FILE, when given, runs first and is not timed).
 * Prints the last statement's result rows tab-separated on stderr (at most 50 rows) and one
 * JSON line on stdout:
 *   {"seconds":..., "cpu_seconds":..., "rows":..., "peak_rss_mb":..., "duckdb_version":"..."}
 * where cpu_seconds is the process's user + system CPU time spent in SQL_FILE (all threads)
 * where rows is the first cell of the result when it is an integer (COPY answers the number
 * of rows written).  Built by bench/clean/run.sh with cc; exits non-zero on any DuckDB error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "duckdb.h"

static char* read_all(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = malloc((size_t)n + 1);
  if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) exit(2);
  text[n] = 0;
  fclose(f);
  return text;
}

static double cpu_now(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: %s SQL_FILE [SETUP_SQL_FILE]\n", argv[0]);
    return 2;
  }
  char* sql = read_all(argv[1]);
  duckdb_database db;
  duckdb_connection con;
  duckdb_result result;
  if (duckdb_open(NULL, &db) != DuckDBSuccess || duckdb_connect(db, &con) != DuckDBSuccess) {
    fprintf(stderr, "duckdb_open failed\n");
    return 1;
  }
  if (argc == 3) {
    char* setup = read_all(argv[2]);
    if (duckdb_query(con, setup, &result) != DuckDBSuccess) {
      fprintf(stderr, "setup failed: %s\n", duckdb_result_error(&result));
      return 1;
    }
    duckdb_destroy_result(&result);
    free(setup);
  }
  double cpu0 = cpu_now();
  double t0 = now();
  if (duckdb_query(con, sql, &result) != DuckDBSuccess) {
    fprintf(stderr, "query failed: %s\n", duckdb_result_error(&result));
    duckdb_destroy_result(&result);
    return 1;
  }
  double seconds = now() - t0;
  double cpu_seconds = cpu_now() - cpu0;
  idx_t columns = duckdb_column_count(&result);
  idx_t nrows = duckdb_row_count(&result);
  for (idx_t r = 0; r < nrows && r < 50; r++) {
    for (idx_t c = 0; c < columns; c++) {
      char* v = duckdb_value_varchar(&result, c, r);
      fprintf(stderr, "%s%s", c ? "\t" : "", v ? v : "NULL");
      duckdb_free(v);
    }
    fprintf(stderr, "\n");
  }
  long long rows = -1;
  if (nrows > 0 && columns > 0) {
    duckdb_type t = duckdb_column_type(&result, 0);
    if (t == DUCKDB_TYPE_BIGINT || t == DUCKDB_TYPE_INTEGER || t == DUCKDB_TYPE_UBIGINT) {
      rows = (long long)duckdb_value_int64(&result, 0, 0);
    }
  }
  duckdb_destroy_result(&result);
  duckdb_disconnect(&con);
  duckdb_close(&db);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"seconds\": %.3f, \"cpu_seconds\": %.3f, \"rows\": %lld, \"peak_rss_mb\": %.1f, \"duckdb_version\": \"%s\"}\n",
         seconds, cpu_seconds, rows, ru.ru_maxrss / 1024.0, duckdb_library_version());
  free(sql);
  return 0;
}
