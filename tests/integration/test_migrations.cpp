#include <gtest/gtest.h>

#include <unistd.h>

#include <thread>

#include "store/migrations.hpp"
#include "test_database.hpp"

using namespace newsmon::store;
using newsmon::testkit::TestDatabase;

TEST(Migrations, ApplyAllOnceThenNothing) {
    TestDatabase db;
    pqxx::connection connection{db.url()};
    int known = static_cast<int>(embedded_migrations().size());
    ASSERT_GE(known, 1);
    EXPECT_EQ(migrate(connection), known);
    EXPECT_EQ(migrate(connection), 0);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM schema_migrations"), known);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_tables WHERE tablename IN "
                        "('feeds', 'articles', 'fetch_log')"),
              3);
}

TEST(Migrations, VersionsAreNumberedInOrder) {
    int previous = 0;
    for (const auto& migration : embedded_migrations()) {
        EXPECT_EQ(migration.version, previous + 1) << migration.name;
        previous = migration.version;
    }
}

TEST(Migrations, InstancesStartingTogetherDoNotRace) {
    TestDatabase db;
    std::vector<int> applied(4, -1);
    std::vector<std::string> errors(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < applied.size(); ++i)
        threads.emplace_back([&, i] {
            try {
                pqxx::connection connection{db.url()};
                applied[i] = migrate(connection);
            } catch (const std::exception& error) {
                errors[i] = error.what();
            }
        });
    for (auto& thread : threads)
        thread.join();
    int total = 0;
    for (std::size_t i = 0; i < applied.size(); ++i) {
        EXPECT_EQ(errors[i], "");
        total += applied[i];
    }
    EXPECT_EQ(total, static_cast<int>(embedded_migrations().size()));
}

TEST(Migrations, RefuseADatabaseNewerThanTheBinary) {
    TestDatabase db;
    pqxx::connection connection{db.url()};
    migrate(connection);
    {
        pqxx::work tx{connection};
        tx.exec0("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')");
        tx.commit();
    }
    try {
        migrate(connection);
        FAIL() << "migrate accepted a newer schema";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("newer than this newsmon knows"),
                  std::string::npos);
    }
    auto status = migration_status(connection);
    ASSERT_FALSE(status.empty());
    EXPECT_EQ(status.back().version, 9999);
    EXPECT_NE(status.back().name.find("unknown to this version"), std::string::npos);
}

TEST(Migrations, StatusShowsPendingThenApplied) {
    TestDatabase db;
    pqxx::connection connection{db.url()};
    for (const auto& entry : migration_status(connection))
        EXPECT_FALSE(entry.applied_at.has_value());
    migrate(connection);
    for (const auto& entry : migration_status(connection))
        EXPECT_TRUE(entry.applied_at.has_value()) << entry.name;
}

// A role with no CREATE on its database can install no extension: it migrates all the same,
// and full-text search keeps the index of its words alone (0027 leaves a notice).
TEST(Migrations, ARoleThatMayNotInstallExtensionsKeepsTheSearchIndexOfWordsAlone) {
    TestDatabase db;
    std::string role = "newsmon_no_create_" + std::to_string(getpid());
    db.execute("CREATE ROLE " + role + " LOGIN");
    db.execute("GRANT CREATE ON SCHEMA public TO " + role);
    {
        pqxx::connection connection{db.url() + " user=" + role};
        EXPECT_EQ(migrate(connection), static_cast<int>(embedded_migrations().size()));
    }
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'articles_search_idx'"),
              1);
    EXPECT_EQ(
        db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'articles_search_day_idx'"),
        0);
    EXPECT_EQ(db.text("SELECT utc_day('2026-12-05 23:30-02')"), "2026-12-06");
    db.execute("DROP OWNED BY " + role);
    db.execute("DROP ROLE " + role);
}

TEST(Migrations, TheSearchIndexHoldsThePublicationDay) {
    TestDatabase db;
    pqxx::connection connection{db.url()};
    migrate(connection);
    EXPECT_EQ(
        db.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_search_day_idx'"),
        "CREATE INDEX articles_search_day_idx ON public.articles USING gin (utc_day(published_at), "
        "search)");
    EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'articles_search_idx'"),
              0);
}
