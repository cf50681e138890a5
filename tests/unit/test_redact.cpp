#include <gtest/gtest.h>

#include "store/redact.hpp"

namespace newsmon::store {
namespace {

TEST(RedactPasswords, KeywordValues) {
    EXPECT_EQ(redact_passwords("missing \"=\" in host=db password=s3cret dbname=news"),
              "missing \"=\" in host=db password=*** dbname=news");
    EXPECT_EQ(redact_passwords("PASSWORD = 'two words' port=5"), "PASSWORD = *** port=5");
    EXPECT_EQ(redact_passwords("password='it\\'s' x"), "password=*** x");
    EXPECT_EQ(redact_passwords("password='unterminated"), "password=***");
    EXPECT_EQ(redact_passwords("?sslmode=require&password=s3cret&user=u"),
              "?sslmode=require&password=***&user=u");
}

TEST(RedactPasswords, UriPasswords) {
    EXPECT_EQ(redact_passwords("bad URI: \"postgresql://news:s3cret@[::1/db\""),
              "bad URI: \"postgresql://news:***@[::1/db\"");
    EXPECT_EQ(redact_passwords("postgres://u:p@ss@host/db"), "postgres://u:***@host/db");
    EXPECT_EQ(redact_passwords("postgresql://news@host/db and https://example.org:8080/x"),
              "postgresql://news@host/db and https://example.org:8080/x");
}

TEST(RedactPasswords, TextWithoutPasswordsIsUnchanged) {
    EXPECT_EQ(redact_passwords("connection to server at \"db\" (10.0.0.2), port 5432 failed"),
              "connection to server at \"db\" (10.0.0.2), port 5432 failed");
    EXPECT_EQ(redact_passwords(""), "");
}

// libpq sometimes quotes the password alone: the one of a connection string that was used is
// found wherever it appears.
TEST(RedactPasswords, RememberedPasswordsAnywhere) {
    EXPECT_EQ(redact_passwords("invalid percent-encoded token: \"k3y%zzpw\""),
              "invalid percent-encoded token: \"k3y%zzpw\"");
    remember_password("postgresql://news:k3y%zzpw@localhost/db");
    EXPECT_EQ(redact_passwords("invalid percent-encoded token: \"k3y%zzpw\""),
              "invalid percent-encoded token: \"***\"");
    remember_password("host=db password='sp ace' dbname=x");
    EXPECT_EQ(redact_passwords("got sp ace"), "got ***");
    remember_password("postgresql://news:ab@localhost/db"); // too short to hunt for
    EXPECT_EQ(redact_passwords("about"), "about");
}

} // namespace
} // namespace newsmon::store
