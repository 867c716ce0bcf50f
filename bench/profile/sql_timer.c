/* sql_timer LABEL=SQL ... — runs each statement in one in-memory DuckDB (default settings, the
 * same libduckdb.so the server links) and prints one JSON line per statement:
 *   {"label":..., "seconds":..., "cpu_seconds":..., "rows":..., "page_faults":..., "peak_rss_mb":...}
 * (cpu_seconds: user + system of all threads, steadier than wall time on a busy machine;
 * page_faults: minor faults during the statement, memory touched for the first time; peak_rss_mb:
 * of the process so far). SQL_TIMER_SHOW=1 adds "first": the first cell of each result, as text.
 * For timing candidate SQL for the profiler by hand (bench/profile/passes.sh times the real passes).
 * Exits non-zero on the first DuckDB error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "duckdb.h"

/* CPU seconds (user + system, all threads) of this process: steadier than wall time on a
 * shared machine. */
static double cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Minor page faults of this process so far: on virtual machines each costs microseconds, so
 * the memory a statement touches for the first time shows in its time. */
static long faults(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

static long peak_rss_mb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  duckdb_database db;
  duckdb_connection con;
  if (duckdb_open(NULL, &db) != DuckDBSuccess || duckdb_connect(db, &con) != DuckDBSuccess) {
    fprintf(stderr, "duckdb_open/connect failed\n");
    return 1;
  }
  for (int i = 1; i < argc; i++) {
    const char* eq = strchr(argv[i], '=');
    if (!eq) {
      fprintf(stderr, "argument %d is not LABEL=SQL\n", i);
      return 2;
    }
    duckdb_result result;
    double t0 = now(), c0 = cpu();
    long f0 = faults();
    if (duckdb_query(con, eq + 1, &result) != DuckDBSuccess) {
      fprintf(stderr, "%.*s failed: %s\n", (int)(eq - argv[i]), argv[i], duckdb_result_error(&result));
      duckdb_destroy_result(&result);
      return 1;
    }
    double t1 = now(), c1 = cpu();
    long f1 = faults();
    printf("{\"label\": \"%.*s\", \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"rows\": %llu, \"page_faults\": %ld, "
           "\"peak_rss_mb\": %ld",
           (int)(eq - argv[i]), argv[i], t1 - t0, c1 - c0, (unsigned long long)duckdb_row_count(&result), f1 - f0,
           peak_rss_mb());
    if (getenv("SQL_TIMER_SHOW") && duckdb_row_count(&result) > 0 && duckdb_column_count(&result) > 0) {
      char* first = duckdb_value_varchar(&result, 0, 0); /* the first cell, as text (not JSON-escaped) */
      printf(", \"first\": \"%s\"", first ? first : "NULL");
      duckdb_free(first);
    }
    printf("}\n");
    fflush(stdout);
    duckdb_destroy_result(&result);
  }
  duckdb_disconnect(&con);
  duckdb_close(&db);
  return 0;
}
