#pragma once
/// Small cryptographic helpers over libsodium (randomness, constant-time compare,
/// Argon2id) and OpenSSL (SHA-256, HMAC-SHA256). Call InitCrypto() once at start-up.

#include <optional>
#include <string>
#include <string_view>

namespace dm {

/// Initialises libsodium; returns false if the library cannot be used.
bool InitCrypto();

std::string RandomBytes(std::size_t n);
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);
std::string HexEncode(std::string_view bytes);
std::string Sha256(std::string_view data);                            ///< raw 32 bytes
std::string HmacSha256(std::string_view key, std::string_view data);  ///< raw 32 bytes
bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// Argon2id parameters: libsodium's "interactive" limits by default.
struct PasswordHashParams {
  unsigned long long ops_limit = 2;             // crypto_pwhash_OPSLIMIT_INTERACTIVE
  std::size_t mem_limit = 64u * 1024u * 1024u;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
};
/// The encoded Argon2id hash string ($argon2id$v=19$...), or nullopt when out of memory.
std::optional<std::string> HashPassword(std::string_view password, const PasswordHashParams& params = {});
bool VerifyPassword(const std::string& encoded_hash, std::string_view password);

}  // namespace dm
