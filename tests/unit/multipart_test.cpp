#include "http/multipart.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/ids.h"

namespace dm::http {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Body(const std::string& boundary, const std::string& file_bytes) {
  return "preamble\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data "
         "\\\"q\\\".csv\"\r\nContent-Type: "
         "text/csv\r\n\r\n" +
         file_bytes + "\r\n--" + boundary + "--\r\n";
}

TEST(Multipart, FindsTheBoundary) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; charset=x; boundary=\"q b\""), "q b");
  EXPECT_FALSE(MultipartBoundary("application/json").has_value());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data").has_value());
}

// Every split of the body into two pieces yields the same file and fields, including
// splits inside the boundary and inside CRLFs; the file contains boundary look-alikes.
TEST(Multipart, StreamsTheFilePartAcrossAnyChunking) {
  const std::string boundary = "XyZ";
  const std::string file_bytes = "a,b\r\n1,2\r\nx--XyZ not at a line start\r\n\r\n-\r\n--Xy";
  const std::string body = Body(boundary, file_bytes);
  const std::string path = (std::filesystem::temp_directory_path() / ("mp-" + NewId())).string();
  for (std::size_t split = 0; split <= body.size(); ++split) {
    MultipartParser parser(boundary, path);
    ASSERT_TRUE(parser.Feed(std::string_view(body).substr(0, split)).ok()) << split;
    ASSERT_TRUE(parser.Feed(std::string_view(body).substr(split)).ok()) << split;
    ASSERT_TRUE(parser.Finish().ok()) << split;
    EXPECT_TRUE(parser.has_file());
    EXPECT_EQ(parser.filename(), "data \"q\".csv");
    EXPECT_EQ(parser.fields().at("note"), "hello");
    EXPECT_EQ(ReadAll(path), file_bytes) << "split at " << split;
  }
  // Byte by byte.
  MultipartParser parser(boundary, path);
  for (char c : body) ASSERT_TRUE(parser.Feed(std::string_view(&c, 1)).ok());
  ASSERT_TRUE(parser.Finish().ok());
  EXPECT_EQ(ReadAll(path), file_bytes);
  std::filesystem::remove(path);
}

TEST(Multipart, RejectsTruncatedAndMalformedBodies) {
  const std::string path = (std::filesystem::temp_directory_path() / ("mp-" + NewId())).string();
  const std::string body = Body("B", "x,y\r\n");
  MultipartParser truncated("B", path);
  ASSERT_TRUE(truncated.Feed(std::string_view(body).substr(0, body.size() - 8)).ok());
  EXPECT_FALSE(truncated.Finish().ok());

  MultipartParser no_name("B", path);
  EXPECT_FALSE(no_name.Feed("--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--").ok());

  MultipartParser huge_headers("B", path);
  EXPECT_FALSE(huge_headers.Feed("--B\r\nX: " + std::string(20000, 'a')).ok());

  MultipartParser two_files("B", path);
  EXPECT_FALSE(two_files
                   .Feed("--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--B\r\nContent-"
                         "Disposition: form-data; name=\"file\"\r\n\r\ny\r\n--B--")
                   .ok());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace dm::http
