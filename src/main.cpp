// datamorph: one binary for the server, workers, migrations and batch verbs.
#include <csignal>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "api/app.h"
#include "cli/clean_command.h"
#include "cli/commands.h"
#include "cli/engine_commands.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/logging.h"
#include "http/server.h"

namespace {

std::string DefaultWebDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  // Next to the binary's source tree (build/datamorph -> web/dist), then the working dir.
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  for (const fs::path& candidate : {exe.parent_path().parent_path() / "web" / "dist", fs::path("web/dist")}) {
    if (fs::exists(candidate / "index.html", ec)) return fs::absolute(candidate).string();
  }
  return {};
}

void AddStoreOptions(CLI::App* cmd, dm::Config& c) {
  cmd->add_option("--data-dir", c.data_dir, "Data directory (files, SQLite database, secrets)")
      ->envname("DATAMORPH_DATA_DIR")
      ->capture_default_str();
  cmd->add_option("--database-url", c.database_url,
                  "Metadata database: empty = SQLite in the data dir, or postgresql://user:pass@host:port/db")
      ->envname("DATAMORPH_DATABASE_URL");
  cmd->add_option("--log-level", c.log_level, "trace, debug, info, warn, error")
      ->envname("DATAMORPH_LOG_LEVEL")
      ->capture_default_str();
}

int Serve(dm::Config config) {
  if (config.web_dir.empty()) config.web_dir = DefaultWebDir();
  auto app = dm::api::App::Create(config);
  if (!app.ok()) {
    spdlog::error("{}", app.status().message());
    return 1;
  }
  dm::http::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.io_threads = config.io_threads;
  options.web_dir = config.web_dir;
  options.temp_dir = (*app)->temp_dir();
  dm::http::Server server(options, (*app)->router());
  auto port = server.Listen();
  if (!port.ok()) {
    spdlog::error("{}", port.status().message());
    return 1;
  }
  (*app)->StartWorkers();
  server.Run([&](int bound) {
    const std::string host = config.host == "0.0.0.0" ? "127.0.0.1" : config.host;
    std::cout << "DataMorph " << DATAMORPH_VERSION << " listening on http://" << host << ":" << bound << "/"
              << (config.web_dir.empty() ? "  (API only: web UI not built)" : "") << std::endl;
  });
  (*app)->StopWorkers();
  dm::FlushLogs();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (!dm::InitCrypto()) {
    std::cerr << "datamorph: libsodium could not be initialised\n";
    return 1;
  }
  std::signal(SIGPIPE, SIG_IGN);
  dm::Config config;
  CLI::App cli{"DataMorph: turn any file into clean, understood, charted and predicted data."};
  cli.set_version_flag("--version", std::string("datamorph ") + DATAMORPH_VERSION);
  cli.require_subcommand(1);

  auto* serve = cli.add_subcommand("serve", "Run the HTTP API, web UI and in-process workers");
  serve->add_option("--host", config.host, "Listen address")
      ->envname("DATAMORPH_HOST")
      ->capture_default_str();
  serve->add_option("--port", config.port, "Listen port (0 = any free port)")
      ->envname("DATAMORPH_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  serve->add_option("--workers", config.workers, "Background job workers in this process")
      ->envname("DATAMORPH_WORKERS")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  serve->add_option("--max-upload-mb", config.max_upload_mb, "Largest accepted upload, MiB")
      ->envname("DATAMORPH_MAX_UPLOAD_MB")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  serve->add_option("--web-dir", config.web_dir, "Built web UI to serve (default: web/dist when present)")
      ->envname("DATAMORPH_WEB_DIR");
  serve->add_option("--io-threads", config.io_threads, "I/O threads (0 = one per core)")
      ->envname("DATAMORPH_IO_THREADS")
      ->check(CLI::Range(0, 256));
  serve->add_option("--access-token-ttl", config.access_token_ttl_s, "Access token lifetime, seconds")
      ->envname("DATAMORPH_ACCESS_TOKEN_TTL")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  serve
      ->add_flag("--secure-cookies", config.secure_cookies,
                 "Mark session cookies Secure (serving behind TLS)")
      ->envname("DATAMORPH_SECURE_COOKIES");
  AddStoreOptions(serve, config);

  auto* migrate = cli.add_subcommand("migrate", "Apply metadata schema migrations and exit");
  AddStoreOptions(migrate, config);

  auto* user = cli.add_subcommand("user", "Manage accounts from the command line");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Create a user (and its organization if new)");
  dm::cli::UserCreateArgs user_args;
  user_create->add_option("--email", user_args.email, "Email address")->required();
  user_create->add_option("--password", user_args.password, "Password (at least 8 characters)")
      ->envname("DATAMORPH_USER_PASSWORD")
      ->required();
  user_create
      ->add_option("--org", user_args.organization, "Organization name (created if no such organization)")
      ->required();
  user_create->add_option("--role", user_args.role, "admin, manager, analyst or viewer")
      ->check(CLI::IsMember({"admin", "manager", "analyst", "viewer"}))
      ->capture_default_str();
  user_create->add_option("--full-name", user_args.full_name, "Display name");
  AddStoreOptions(user_create, config);

  auto* convert = cli.add_subcommand("convert", "Convert any supported file to csv/json/ndjson/parquet/xlsx");
  std::string convert_in, convert_out;
  convert->add_option("IN", convert_in, "Input file (format detected from its content)")->required();
  convert->add_option("OUT", convert_out, "Output file; the format comes from its extension")->required();

  auto* query = cli.add_subcommand("query", "Run read-only SQL over a file (the table is named data)");
  std::string query_file, query_sql;
  bool query_json = false;
  query->add_option("FILE", query_file, "Input file")->required();
  query->add_option("SQL", query_sql, "A single SELECT statement")->required();
  query->add_flag("--json", query_json, "Print the result as JSON");

  auto* profile =
      cli.add_subcommand("profile", "Profile a file: statistics, types, quality score and alerts");
  std::string profile_file, profile_format = "text";
  profile->add_option("FILE", profile_file, "Input file")->required();
  profile->add_option("--format", profile_format, "text or json (the API's profile JSON)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  auto* clean = cli.add_subcommand("clean", "Apply cleaning operations to a file (a JSON recipe, or --auto)");
  dm::cli::CleanArgs clean_args;
  clean->add_option("IN", clean_args.in, "Input file (any supported format; the first table is cleaned)")
      ->required();
  clean->add_option("--recipe", clean_args.recipe,
                    "JSON file: an array of operations or {\"operations\":[...]}");
  clean->add_flag("--auto", clean_args.auto_clean, "Apply the safe cleaning suggestions (printed to stderr)");
  clean->add_option("-o,--output", clean_args.out, "Output file; the format comes from its extension");
  clean->add_flag("--print-sql", clean_args.print_sql, "Print the compiled SQL to stdout");

  CLI11_PARSE(cli, argc, argv);
  dm::InitLogging(config.log_level);

  if (serve->parsed()) return Serve(config);
  if (migrate->parsed()) return dm::cli::RunMigrate(config);
  if (user_create->parsed()) return dm::cli::RunUserCreate(config, user_args);
  if (convert->parsed()) return dm::cli::RunConvertCommand(convert_in, convert_out);
  if (query->parsed()) return dm::cli::RunQueryCommand(query_file, query_sql, query_json);
  if (profile->parsed()) return dm::cli::RunProfileCommand(profile_file, profile_format == "json");
  if (clean->parsed()) return dm::cli::RunCleanCommand(clean_args);
  return 0;
}
