/* sql_timer LABEL=SQL ... — runs each statement in one in-memory DuckDB (default settings, the
 * same libduckdb.so the server links) and prints one JSON line per statement:
 *   {"label":..., "seconds":..., "cpu_seconds":..., "rows":...}
 * (cpu_seconds: user + system of all threads, steadier than wall time on a busy machine).
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
    if (duckdb_query(con, eq + 1, &result) != DuckDBSuccess) {
      fprintf(stderr, "%.*s failed: %s\n", (int)(eq - argv[i]), argv[i], duckdb_result_error(&result));
      duckdb_destroy_result(&result);
      return 1;
    }
    double t1 = now(), c1 = cpu();
    printf("{\"label\": \"%.*s\", \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"rows\": %llu}\n", (int)(eq - argv[i]),
           argv[i], t1 - t0, c1 - c0, (unsigned long long)duckdb_row_count(&result));
    fflush(stdout);
    duckdb_destroy_result(&result);
  }
  duckdb_disconnect(&con);
  duckdb_close(&db);
  return 0;
}
