/* make_parquet OUT.parquet ROWS — writes the web benchmark's big dataset with DuckDB (the
 * same libduckdb.so the server links): ROWS rows, id = row number (1-based), so the grid's
 * rows can be checked against their ids after a jump.  Mixed types, ~8 columns, some nulls:
 *   COPY (SELECT i+1 AS id, ... FROM range(ROWS) t(i)) TO OUT (FORMAT parquet, COMPRESSION zstd)
 * Built by bench/web/run.sh with cc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duckdb.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s OUT.parquet ROWS\n", argv[0]);
    return 2;
  }
  const char* out = argv[1];
  long long rows = atoll(argv[2]);
  if (rows <= 0 || strchr(out, '\'')) {
    fprintf(stderr, "bad arguments\n");
    return 2;
  }
  char sql[2048];
  snprintf(sql, sizeof sql,
           "COPY (SELECT i + 1 AS id,"
           " 'customer ' || (i %% 100003) AS name,"
           " CASE WHEN i %% 10 = 9 THEN NULL ELSE round(((i * 7919) %% 100000) / 100.0, 2) END AS amount,"
           " (['alpha','beta','gamma','delta'])[1 + (i %% 4)::INT] AS category,"
           " DATE '2020-01-01' + (i %% 1461)::INT AS created,"
           " TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i) AS event_at,"
           " i %% 3 = 0 AS active,"
           " CASE WHEN i %% 7 = 0 THEN NULL ELSE (i * 31) %% 1000 END AS qty"
           " FROM range(%lld) t(i) ORDER BY i)"
           " TO '%s' (FORMAT parquet, COMPRESSION zstd)",
           rows, out);
  duckdb_database db;
  duckdb_connection con;
  duckdb_result result;
  if (duckdb_open(NULL, &db) != DuckDBSuccess || duckdb_connect(db, &con) != DuckDBSuccess) {
    fprintf(stderr, "duckdb open/connect failed\n");
    return 1;
  }
  if (duckdb_query(con, sql, &result) != DuckDBSuccess) {
    fprintf(stderr, "COPY failed: %s\n", duckdb_result_error(&result));
    duckdb_destroy_result(&result);
    return 1;
  }
  duckdb_destroy_result(&result);
  duckdb_disconnect(&con);
  duckdb_close(&db);
  return 0;
}
