#pragma once
/// The engine-only batch verbs: `datamorph convert IN OUT` and `datamorph query FILE SQL`.
/// They need nothing but the engine (no metadata store, no server).

#include <string>

namespace dm::cli {

/// Converts any supported input to csv/json/ndjson/parquet/xlsx, chosen by OUT's extension.
/// A single-table input is written to OUT. A multi-table input (a workbook with several
/// sheets) writes one file per table named "<out stem>_<table name>.<ext>" beside OUT, so no
/// sheet is silently dropped. Prints errors to stderr; returns 0 on success, 1 on failure.
int RunConvertCommand(const std::string& in, const std::string& out);

/// Ingests FILE (its first table) to a scratch Parquet file and runs the read-only SQL in the
/// sandbox, with the data visible as `data`. Prints an aligned text table (or, with `json`,
/// the JSON result) to stdout. Returns 0 on success, 1 on failure (message on stderr).
int RunQueryCommand(const std::string& file, const std::string& sql, bool json = false);

/// Profiles every table of FILE: a readable report, or with `json` exactly the API's
/// profile JSON (an array of them for a workbook with several sheets).
int RunProfileCommand(const std::string& file, bool json);

}  // namespace dm::cli
