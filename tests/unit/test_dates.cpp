#include <gtest/gtest.h>

#include "newsmon/parsers/dates.hpp"

using namespace newsmon::parsers;

namespace {

std::string utc(std::string_view text) {
    auto instant = parse_date(text);
    return instant ? format_rfc3339(*instant) : "null";
}

} // namespace

TEST(Dates, Rfc822WithNumericOffsets) {
    EXPECT_EQ(utc("Mon, 22 Jul 2024 18:42:00 +0400"), "2024-07-22T14:42:00Z");
    EXPECT_EQ(utc("Mon, 01 Sep 2014 16:22:00 +0500"), "2014-09-01T11:22:00Z");
    EXPECT_EQ(utc("Tue, 10 Jun 2003 04:00:00 -0530"), "2003-06-10T09:30:00Z");
}

TEST(Dates, Rfc822ZoneNamesAndMilitaryLetters) {
    EXPECT_EQ(utc("Fri, 07 Nov 2025 10:10:00 GMT"), "2025-11-07T10:10:00Z");
    EXPECT_EQ(utc("Fri, 07 Nov 2025 10:10:00 UT"), "2025-11-07T10:10:00Z");
    EXPECT_EQ(utc("Fri, 07 Nov 2025 05:10:00 EST"), "2025-11-07T10:10:00Z");
    EXPECT_EQ(utc("Fri, 07 Nov 2025 06:10:00 EDT"), "2025-11-07T10:10:00Z");
    EXPECT_EQ(utc("Fri, 07 Nov 2025 02:10:00 PST"), "2025-11-07T10:10:00Z");
    EXPECT_EQ(utc("Fri, 07 Nov 2025 10:10:00 Z"), "2025-11-07T10:10:00Z");
    EXPECT_EQ(utc("Fri, 07 Nov 2025 11:10:00 A"), "2025-11-07T10:10:00Z");
}

TEST(Dates, Rfc822LooseForms) {
    EXPECT_EQ(utc("20 Jul 2017 03:23:26 +0000"), "2017-07-20T03:23:26Z");    // no weekday
    EXPECT_EQ(utc("Mon, 16 May 16 12:39:07 -0700"), "2016-05-16T19:39:07Z"); // two-digit year
    EXPECT_EQ(utc("Tue, 18 Sept 2018 10:00 GMT"), "2018-09-18T10:00:00Z");   // Sept, no seconds
    EXPECT_EQ(utc("19 Sep. 2025 12:00:00 GMT"), "2025-09-19T12:00:00Z");
    EXPECT_EQ(utc("Sun, 15 Dec 2024 12:15 PM"), "2024-12-15T12:15:00Z");
    EXPECT_EQ(utc("Sun, 15 Dec 2024 12:15 AM"), "2024-12-15T00:15:00Z");
    EXPECT_EQ(utc("Wed, 07 Nov 2025 10:10:00 +0400"), "2025-11-07T06:10:00Z"); // wrong weekday
}

TEST(Dates, Iso8601Forms) {
    EXPECT_EQ(utc("2025-11-07T10:10:00Z"), "2025-11-07T10:10:00Z");
    EXPECT_EQ(utc("2025-11-07T10:10:00+04:00"), "2025-11-07T06:10:00Z");
    EXPECT_EQ(utc("2025-11-07T10:10:00.123-01:00"), "2025-11-07T11:10:00Z");
    EXPECT_EQ(utc("2025-11-07T10:10Z"), "2025-11-07T10:10:00Z");
    EXPECT_EQ(utc("2025-11-07"), "2025-11-07T00:00:00Z");
    EXPECT_EQ(utc("2025-11-07 10:10:00"), "2025-11-07T10:10:00Z");
}

TEST(Dates, GarbageIsNullNotNow) {
    for (const char* bad : {"", "yesterday", "32 Jan 2025 10:00:00 GMT", "2025-13-01",
                            "Fri, 07 Foo 2025 10:10:00 GMT", "2025-02-30T00:00:00Z",
                            "07 Nov 2025 10:10:00 +04:00 trailing"})
        EXPECT_EQ(utc(bad), "null") << bad;
}

TEST(Dates, MonthNamesInRussianAzerbaijaniAndTurkish) {
    EXPECT_EQ(utc("7 ноября 2025"), "2025-11-07T00:00:00Z");
    EXPECT_EQ(utc("7 НОЯБРЯ 2025 10:10"), "2025-11-07T10:10:00Z");
    EXPECT_EQ(utc("1 мая 2024"), "2024-05-01T00:00:00Z");
    EXPECT_EQ(utc("15 марта 2024"), "2024-03-15T00:00:00Z");
    EXPECT_EQ(utc("пн, 1 февр. 2016 12:00:00 +0200"), "2016-02-01T10:00:00Z");
    EXPECT_EQ(utc("07 noyabr 2025"), "2025-11-07T00:00:00Z");
    EXPECT_EQ(utc("01 dekabr, 2024"), "2024-12-01T00:00:00Z");
    EXPECT_EQ(utc("8 İyul 2016 17:08"), "2016-07-08T17:08:00Z");
    EXPECT_EQ(utc("21 Avqust 2025"), "2025-08-21T00:00:00Z");
    EXPECT_EQ(utc("7 Kasım 2025"), "2025-11-07T00:00:00Z");
    EXPECT_EQ(utc("3 Şubat 2025 09:30 +0300"), "2025-02-03T06:30:00Z");
    EXPECT_EQ(utc("29 Ağustos 2025"), "2025-08-29T00:00:00Z");
    EXPECT_EQ(utc("12 Aralık 2024"), "2024-12-12T00:00:00Z");
}
