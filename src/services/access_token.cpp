#include "services/access_token.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/crypto.h"

namespace dm::services {

namespace {
const std::string& EncodedHeader() {
  static const std::string kHeader = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})");
  return kHeader;
}
Status Rejected() {
  return Unauthenticated("The access token is invalid or has expired.");
}
}  // namespace

std::string AccessTokenSigner::Issue(const AccessClaims& c) const {
  const nlohmann::json payload = {{"sub", c.user_id},
                                  {"org", c.organization_id},
                                  {"iat", c.issued_at},
                                  {"exp", c.expires_at},
                                  {"typ", "access"}};
  std::string signing_input = EncodedHeader() + "." + Base64UrlEncode(payload.dump());
  const std::string sig = Base64UrlEncode(HmacSha256(key_, signing_input));
  return signing_input + "." + sig;
}

Result<AccessClaims> AccessTokenSigner::Verify(std::string_view token, std::int64_t now) const {
  const auto dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return Rejected();
  const auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return Rejected();
  // Only our own header is accepted: this pins alg=HS256 (no "none", no algorithm confusion).
  if (token.substr(0, dot1) != EncodedHeader()) return Rejected();
  const std::string_view signing_input = token.substr(0, dot2);
  const auto sig = Base64UrlDecode(token.substr(dot2 + 1));
  if (!sig || !ConstantTimeEquals(*sig, HmacSha256(key_, signing_input))) return Rejected();
  const auto payload_text = Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload_text) return Rejected();
  const auto payload = nlohmann::json::parse(*payload_text, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object() || payload.value("typ", "") != "access") return Rejected();
  AccessClaims c;
  c.user_id = payload.value("sub", "");
  c.organization_id = payload.value("org", "");
  c.issued_at = payload.value("iat", std::int64_t{0});
  c.expires_at = payload.value("exp", std::int64_t{0});
  if (c.user_id.empty() || c.organization_id.empty() || c.expires_at <= now) return Rejected();
  return c;
}

Result<std::string> LoadOrCreateSigningKey(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() < 32) return Internal("The token signing key in the data directory is too short.");
    return key;
  }
  const std::string key = RandomBytes(32);
  const std::string tmp = path + ".tmp";
  {
    const mode_t old = umask(077);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    umask(old);
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    if (!out) return Internal("The token signing key could not be written to the data directory.");
  }
  std::filesystem::permissions(tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace, ec);
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Internal("The token signing key could not be written to the data directory.");
  return key;
}

}  // namespace dm::services
