#include "runtime/http/http_auth.h"

#include <gtest/gtest.h>

#include "runtime/http/sha1.h"
#include "runtime/rpc/base64.h"

namespace proctor::http {
namespace {

TEST(Sha1, FipsVectors) {
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(sha1_hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // Lengths around the padding boundary (55, 56, 64 bytes), from hashlib.
  EXPECT_EQ(sha1_hex(std::string(55, 'a')), "c1c8bbdc22796e28c0e15163d20899b65621d65a");
  EXPECT_EQ(sha1_hex(std::string(56, 'a')), "c2db330f6083854c99d4b5bfb6e8f29f201be699");
  EXPECT_EQ(sha1_hex(std::string(64, 'a')), "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

std::string basic(std::string_view user_pass) {
  return "Basic " + rpc::base64_encode(user_pass);
}

TEST(BasicAuth, PlainPassword) {
  EXPECT_TRUE(check_basic_auth(basic("user:123"), "user", "123"));
  EXPECT_TRUE(check_basic_auth("bAsIc " + rpc::base64_encode("user:123"), "user", "123"));
  EXPECT_TRUE(check_basic_auth(basic("user:a:b"), "user", "a:b"));  // split at the first ':'
  EXPECT_FALSE(check_basic_auth(basic("user:124"), "user", "123"));
  EXPECT_FALSE(check_basic_auth(basic("user:12"), "user", "123"));
  EXPECT_FALSE(check_basic_auth(basic("other:123"), "user", "123"));
  EXPECT_FALSE(check_basic_auth(basic("user"), "user", ""));
  EXPECT_FALSE(check_basic_auth("Digest " + rpc::base64_encode("user:123"), "user", "123"));
  EXPECT_FALSE(check_basic_auth("Basic !!!", "user", "123"));
  EXPECT_FALSE(check_basic_auth("", "user", "123"));
}

TEST(BasicAuth, ShaPassword) {
  // echo -n thepassword | sha1sum
  const std::string stored = "{SHA}" + sha1_hex("thepassword");
  EXPECT_EQ(stored, "{SHA}82ab876d1387bfafe46cc1c8a2ef074eae50cb1d");
  EXPECT_TRUE(check_basic_auth(basic("user:thepassword"), "user", stored));
  EXPECT_FALSE(check_basic_auth(basic("user:" + stored), "user", stored));
  EXPECT_FALSE(check_basic_auth(basic("user:wrong"), "user", stored));
}

}  // namespace
}  // namespace proctor::http
