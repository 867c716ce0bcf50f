#pragma once
#include <cstdint>
#include <string>

namespace dm {

/// Server configuration. Precedence: flags > DATAMORPH_* environment > these defaults.
struct Config {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string data_dir = "./datamorph-data";
  std::string database_url;  ///< empty = sqlite file in data_dir; or postgresql://...
  int workers = 2;           ///< background job workers in this process
  std::int64_t max_upload_mb = 1024;
  std::string web_dir;  ///< built SPA; empty = <exe>/../web/dist or ./web/dist when present
  int io_threads = 0;   ///< 0 = one per core
  int access_token_ttl_s = 15 * 60;
  int refresh_token_ttl_s = 7 * 24 * 3600;
  std::string log_level = "info";
  bool secure_cookies = false;  ///< set the Secure attribute (behind TLS)
  int login_max_failures = 5;   ///< per email+IP within login_window_s
  int login_window_s = 900;
  int login_lockout_s = 300;
};

}  // namespace dm
