#include <gtest/gtest.h>

#include "config/units.hpp"

using namespace newsmon::config;
using namespace std::chrono_literals;

TEST(Durations, AcceptEveryUnit) {
    EXPECT_EQ(parse_duration("250ms").value(), 250ms);
    EXPECT_EQ(parse_duration("30s").value(), 30s);
    EXPECT_EQ(parse_duration("10m").value(), 10min);
    EXPECT_EQ(parse_duration("2h").value(), 2h);
    EXPECT_EQ(parse_duration("1d").value(), 24h);
    EXPECT_EQ(parse_duration("2w").value(), 14 * 24h);
    EXPECT_EQ(parse_duration("2y").value(), 730 * 24h);
    EXPECT_EQ(format_duration(parse_duration("1y12w").value()), "449d");
}

TEST(Durations, AddUpGroups) {
    EXPECT_EQ(parse_duration("1h30m").value(), 90min);
}

TEST(Durations, RejectWhatIsNotADuration) {
    for (const char* bad : {"", "30", "s", "10 m", "-5s", "1.5h", "10x", "15min", "h1"})
        EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
}

TEST(Durations, ErrorShowsAnExample) {
    auto result = parse_duration("15 minutes");
    ASSERT_FALSE(result.has_value());
    EXPECT_NE(result.error().find("\"30s\""), std::string::npos);
    EXPECT_NE(result.error().find("15 minutes"), std::string::npos);
}

TEST(Durations, RejectOverflow) {
    EXPECT_FALSE(parse_duration("99999999999999999999s").has_value());
    EXPECT_FALSE(parse_duration("999999999999999d").has_value());
}

TEST(Durations, FormatShortestExactSpelling) {
    EXPECT_EQ(format_duration(90s), "1m30s");
    EXPECT_EQ(format_duration(0s), "0s");
    EXPECT_EQ(format_duration(1500ms), "1s500ms");
    EXPECT_EQ(format_duration(parse_duration("2d3h").value()), "2d3h");
}

TEST(Sizes, BinaryAndDecimalUnits) {
    EXPECT_EQ(parse_size("512KiB").value().bytes, 512u * 1024);
    EXPECT_EQ(parse_size("16MiB").value().bytes, 16u << 20);
    EXPECT_EQ(parse_size("1GiB").value().bytes, 1ull << 30);
    EXPECT_EQ(parse_size("10kB").value().bytes, 10'000u);
    EXPECT_EQ(parse_size("2MB").value().bytes, 2'000'000u);
    EXPECT_EQ(parse_size("100B").value().bytes, 100u);
    EXPECT_EQ(parse_size("4096").value().bytes, 4096u);
}

TEST(Sizes, RejectUnknownUnitsAndJunk) {
    for (const char* bad : {"", "MiB", "16 MiB", "16mib", "16TiB", "1.5MiB", "16MiBs", "-1"})
        EXPECT_FALSE(parse_size(bad).has_value()) << bad;
}
