#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "newsmon/parsers/words.hpp"
#include "tag/language_detector.hpp"
#include "tag/matcher.hpp"
#include "tag/stemmer.hpp"
#include "tag/tagger.hpp"
#include "tag/term.hpp"

using namespace newsmon;

namespace {

tag::TopicConfig topic(std::string name, std::vector<std::string> terms,
                       std::vector<std::string> exclude = {}, int min_score = 1) {
    return {std::move(name), "", std::move(terms), std::move(exclude), min_score};
}

// Topic name -> score, for the topics that apply.
std::map<std::string, int> scores(const tag::Tagger& tagger, std::string_view title,
                                  std::string_view body) {
    std::map<std::string, int> out;
    for (const auto& result : tagger.tag(title, body))
        out[result.match.topic] = result.match.score;
    return out;
}

tag::Tagger compile(std::vector<tag::TopicConfig> topics) {
    auto tagger = tag::Tagger::compile(topics);
    EXPECT_TRUE(tagger) << (tagger ? "" : tagger.error());
    return std::move(*tagger);
}

bool matches(const std::string& term, std::string_view text,
             tag::Language language = tag::Language::none) {
    return !compile({topic("t", {term})}).tag("", text, language).empty();
}

} // namespace

TEST(TermSyntax, FlagsAndWords) {
    auto term = tag::parse_term("weak:Şimali Atlantika*~");
    ASSERT_TRUE(term);
    EXPECT_TRUE(term->weak);
    EXPECT_TRUE(term->ignore_diacritics);
    EXPECT_FALSE(term->case_sensitive);
    ASSERT_EQ(term->words.size(), 2u);
    EXPECT_EQ(term->words[0].base, "simali");
    EXPECT_FALSE(term->words[0].prefix);
    EXPECT_TRUE(term->words[1].prefix);
    EXPECT_TRUE(tag::parse_term("NATO!")->case_sensitive);
}

TEST(TermSyntax, ErrorsNameTheTerm) {
    EXPECT_EQ(tag::parse_term("!!").error(), "term \"!!\" has no letters or digits");
    EXPECT_NE(tag::parse_term("Az*rbaijan").error().find("* may only end a word"),
              std::string::npos);
    auto tagger = tag::Tagger::compile({topic("nato", {"NATO", "  "})});
    ASSERT_FALSE(tagger);
    EXPECT_EQ(tagger.error(), "topic nato: term \"  \" has no letters or digits");
}

TEST(Matching, WholeWordsOnly) {
    EXPECT_TRUE(matches("NATO", "The NATO summit"));
    EXPECT_FALSE(matches("NATO", "The senator spoke"));
    EXPECT_FALSE(matches("NATO", "Senato kararı"));
    EXPECT_FALSE(matches("NATO", "Renato and Donato"));
    EXPECT_FALSE(matches("Baku", "Bakunin wrote"));
    EXPECT_TRUE(matches("Baku", "in Baku."));
}

TEST(Matching, CaseInsensitiveUnlessMarked) {
    EXPECT_TRUE(matches("nato", "NATO and Nato"));
    EXPECT_TRUE(matches("НАТО", "Генсек нато"));
    EXPECT_TRUE(matches("NATO!", "NATO"));
    EXPECT_FALSE(matches("NATO!", "Nato"));
    EXPECT_FALSE(matches("SHAPE!", "the shape of things"));
    EXPECT_TRUE(matches("PfP!", "the PfP programme"));
}

TEST(Matching, TurkishAndAzerbaijaniI) {
    EXPECT_TRUE(matches("İlham Əliyev", "ILHAM ƏLIYEV"));
    EXPECT_TRUE(matches("Bakı", "BAKI şəhəri"));
    EXPECT_TRUE(matches("ilham aliyev", "İlham Aliyev"));
}

TEST(Matching, DiacriticsOnlyWhenAsked) {
    EXPECT_FALSE(matches("Azərbaycan", "Azerbaycan"));
    EXPECT_TRUE(matches("Azərbaycan~", "Azerbaycan"));
    EXPECT_TRUE(matches("Azərbaycan~", "AZƏRBAYCAN"));
}

TEST(Matching, WordEndingsWithStar) {
    EXPECT_TRUE(matches("Azerbaijan*", "Azerbaijani troops"));
    EXPECT_TRUE(matches("Азербайджан*", "Азербайджана и Азербайджану"));
    EXPECT_TRUE(matches("azərbaycan*", "Azərbaycanın ordusu"));
    EXPECT_FALSE(matches("Azerbaijan*", "Azeri"));
}

TEST(Matching, ApostropheAndHyphenSuffixes) {
    EXPECT_TRUE(matches("NATO!", "NATO'nun zirvesi"));
    EXPECT_TRUE(matches("NATO!", "NATO’ya katıldı"));
    EXPECT_TRUE(matches("NATO!", "NATO-nun baş katibi"));
    EXPECT_TRUE(matches("Azerbaycan", "Azerbaycan'ın dış politikası"));
}

TEST(Matching, PhrasesSpanWhitespaceLineBreaksAndHyphens) {
    EXPECT_TRUE(matches("partnership for peace", "the Partnership\nfor   Peace programme"));
    EXPECT_TRUE(matches("euro atlantic", "Euro-Atlantic integration"));
    EXPECT_FALSE(matches("partnership for peace", "partnership and peace"));
    EXPECT_TRUE(matches("североатлантическ* альянс*", "Североатлантического альянса"));
    EXPECT_FALSE(matches("north atlantic alliance", "north atlantic"));
}

TEST(Scoring, TitleHitsCountThreeTimes) {
    auto tagger = compile({topic("nato", {"NATO"})});
    EXPECT_EQ(scores(tagger, "NATO meets", "NATO and NATO again"),
              (std::map<std::string, int>{{"nato", 5}}));
    auto results = tagger.tag("NATO meets", "no mention");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(results[0].match.in_title);
    EXPECT_EQ(results[0].match.hits, 1);
    EXPECT_EQ(results[0].occurrences[0].begin, 0u);
    EXPECT_EQ(results[0].occurrences[0].end, 4u);
}

TEST(Scoring, MinScoreDecides) {
    auto tagger = compile({topic("nato", {"NATO"}, {}, 3)});
    EXPECT_TRUE(scores(tagger, "", "NATO once, NATO twice").empty());
    EXPECT_EQ(scores(tagger, "", "NATO NATO NATO").at("nato"), 3);
    EXPECT_EQ(scores(tagger, "NATO", "").at("nato"), 3);
}

TEST(Scoring, WeakTermsNeedSupport) {
    auto tagger = compile({topic("nato", {"NATO", "weak:alliance", "weak:SHAPE!"})});
    EXPECT_TRUE(scores(tagger, "", "The alliance met").empty());
    EXPECT_EQ(scores(tagger, "", "The alliance met at SHAPE").at("nato"), 2);
    EXPECT_EQ(scores(tagger, "", "NATO: the alliance met").at("nato"), 2);
}

TEST(Scoring, ExcludePhrasesSuppressWhatTheyContain) {
    auto tagger = compile(
        {topic("nato", {"NATO"}, {"Turkic NATO", "Arab NATO"}),
         topic("azerbaijan", {"Azerbaijan*", "Azeri"}, {"East Azerbaijan", "Azeri Light"})});
    EXPECT_TRUE(scores(tagger, "", "Talk of a Turkic NATO grows").empty());
    EXPECT_EQ(scores(tagger, "", "A Turkic NATO is not NATO").at("nato"), 1);
    EXPECT_TRUE(scores(tagger, "", "Floods in East Azerbaijan province").empty());
    EXPECT_TRUE(scores(tagger, "", "Azeri Light crude rose").empty());
    EXPECT_EQ(scores(tagger, "", "Azeri Light and Azerbaijan").at("azerbaijan"), 1);
}

TEST(Scoring, MatchedTermsAreDistinctAndAsConfigured) {
    auto tagger = compile({topic("azerbaijan", {"Azerbaijan*", "Baku"})});
    auto results = tagger.tag("Baku talks", "Azerbaijan and Azerbaijani officials in Baku");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].match.matched_terms, (std::vector<std::string>{"Azerbaijan*", "Baku"}));
    EXPECT_EQ(results[0].match.hits, 4);
    EXPECT_EQ(results[0].match.score, 6);
}

TEST(Scoring, OneMentionCountsOnceWhateverTermsMatchIt) {
    auto tagger = compile({topic("azerbaijan", {"Ilham Aliyev", "Ilham Aliyev*", "weak:Aliyev*"})});
    auto results = tagger.tag("", "Ilham Aliyev spoke; Aliyev added");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].match.hits, 2); // the full name once, the surname once
    EXPECT_EQ(results[0].match.matched_terms,
              (std::vector<std::string>{"Ilham Aliyev", "weak:Aliyev*"}));
}

TEST(Matching, YoIsYeInEveryTerm) {
    EXPECT_TRUE(matches("Партнёрство ради мира", "Партнерство ради мира"));
    EXPECT_TRUE(matches("Партнерство ради мира", "ПАРТНЁРСТВО РАДИ МИРА"));
    EXPECT_TRUE(matches("партнёрство!", "партнерство") == false); // exact letters stay exact
}

TEST(Matching, UpperCaseTurkishAndAzerbaijaniTitles) {
    EXPECT_TRUE(matches("Şərqi Azərbaycan", "ŞƏRQİ AZƏRBAYCAN"));
    EXPECT_TRUE(matches("İttifak", "ITTIFAK"));
    EXPECT_TRUE(matches("Bakı", "i\xCC\x87stanbul ve baki\xCC\x87")); // lower-cased outside Turkish
}

TEST(Matching, AzerbaijaniCyrillic) {
    EXPECT_TRUE(matches("Azərbaycan", "Азәрбајҹан Республикасы"));
    EXPECT_TRUE(matches("İlham Əliyev", "Илһам Әлијев"));
}

TEST(Stemming, RussianCasesMatchTheNominative) {
    EXPECT_TRUE(matches("Североатлантический совет", "заседание Североатлантического совета"));
    EXPECT_TRUE(
        matches("Североатлантический совет", "Североатлантическому\nсовету", tag::Language::ru));
    EXPECT_TRUE(matches("Восточный Азербайджан", "в провинции Восточного Азербайджана"));
    EXPECT_FALSE(matches("Баку", "топливный бак")); // a stem under four letters is not used
    EXPECT_FALSE(matches("Баку", "баки"));
}

TEST(Stemming, EnglishByTheTextsLanguage) {
    EXPECT_TRUE(matches("liaison office", "NATO liaison offices", tag::Language::en));
    EXPECT_FALSE(matches("liaison office", "NATO liaison offices")); // no language: no stemmer
    EXPECT_TRUE(
        matches("North Atlantic Council", "the North Atlantic Council's", tag::Language::en));
}

TEST(Stemming, TurkishAndAzerbaijaniSuffixes) {
    EXPECT_TRUE(matches("İrtibat Bürosu", "NATO İrtibat Bürosunun", tag::Language::tr));
    EXPECT_TRUE(matches("Barış İçin Ortaklık", "Barış İçin Ortaklığı programı", tag::Language::tr));
    EXPECT_TRUE(
        matches("Əlaqələndirmə Bürosu", "NATO-nun Əlaqələndirmə Bürosunun", tag::Language::az));
    EXPECT_TRUE(
        matches("Şimali Atlantika Şurası", "Şimali Atlantika Şurasının iclası", tag::Language::az));
    EXPECT_TRUE(matches("Bakı", "BAKIDAKI görüş", tag::Language::az));
    EXPECT_TRUE(matches("Tərəfdaşlıq", "Tərəfdaşlığı", tag::Language::az));
    EXPECT_FALSE(matches("Bakı", "bakım ve bakır", tag::Language::tr));
    EXPECT_FALSE(matches("Bakı", "bakım ve bakır", tag::Language::az));
}

TEST(Stemming, ExactCaseAndStarTermsAreNotStemmed) {
    EXPECT_FALSE(matches("SHAPE!", "SHAPES", tag::Language::en));
    EXPECT_TRUE(matches("SHAPE!", "SHAPE'in", tag::Language::tr));
    EXPECT_FALSE(matches("Mons*", "Mon", tag::Language::en));
    EXPECT_TRUE(matches("weak:allies", "NATO allied", tag::Language::en) == false);
}

TEST(Stemming, DiacriticsStillCountUnlessAsked) {
    EXPECT_FALSE(matches("Azərbaycan", "Azerbaycanın", tag::Language::az));
    EXPECT_TRUE(matches("Azərbaycan~", "Azerbaycanın", tag::Language::az));
    EXPECT_TRUE(matches("Azərbaycan", "Azərbaycanın", tag::Language::az));
}

// A matcher rebuilt on a reload of topics or rules may be allocated where the previous one
// lived; what the previous one's stems matched must not carry over to it.
TEST(Stemming, ARebuiltMatcherAtTheSameAddressStemsAfresh) {
    parsers::WordList words;
    parsers::split_words("Azerbaycanın", words);
    std::optional<tag::Matcher> matcher; // one place in memory for both
    auto found = [&](const char* term) {
        matcher.emplace(std::vector<tag::Term>{*tag::parse_term(term)});
        std::vector<tag::MatchSpan> spans;
        matcher->find("Azerbaycanın", words, spans, tag::Language::az);
        return !spans.empty();
    };
    EXPECT_FALSE(found("Azərbaycan"));
    EXPECT_TRUE(found("Azərbaycan~"));
    EXPECT_FALSE(found("Azərbaycan"));
}

TEST(Stemming, AzerbaijaniRules) {
    auto reads_as = [](std::string_view word, const std::string& stem) {
        auto stems = tag::azerbaijani_stems(word);
        return std::find(stems.begin(), stems.end(), stem) != stems.end();
    };
    EXPECT_TRUE(reads_as("bakıdakı", "bakı"));
    EXPECT_TRUE(reads_as("bakının", "bakı"));
    EXPECT_TRUE(reads_as("bakıya", "bakı"));
    EXPECT_TRUE(reads_as("şurasının", "şura"));
    EXPECT_TRUE(reads_as("azərbaycana", "azərbaycan"));
    EXPECT_TRUE(reads_as("azərbaycanın", "azərbaycan"));
    EXPECT_TRUE(reads_as("natonun", "nato"));
    EXPECT_TRUE(reads_as("qarabağda", "qarabaq"));
    EXPECT_TRUE(reads_as("naxçıvandan", "naxçıvan"));
    EXPECT_TRUE(reads_as("əliyevlə", "əliyev"));
    EXPECT_TRUE(reads_as("şurasındakı", "şura"));
    EXPECT_FALSE(reads_as("bakı", "bak"));       // four letters stay before a one-vowel suffix
    EXPECT_FALSE(reads_as("bakuninin", "baku")); // one case suffix, not two
}

TEST(LanguageDetection, TellsAzerbaijaniFromTurkishAndKeepsRussianFromBakuRussian) {
    EXPECT_EQ(tag::detect_language("Bakıda NATO toplantısı keçirilib", ""), "az");
    EXPECT_EQ(tag::detect_language("Bakü'de NATO toplantısı yapıldı", ""), "tr");
    EXPECT_EQ(tag::detect_language("Türk NATO-su ideyası", ""), "az");
    EXPECT_EQ(tag::detect_language("Ильхам Алиев принял делегацию НАТО в Баку",
                                   "Президент Азербайджана обсудил сотрудничество."),
              "ru");
    EXPECT_EQ(tag::detect_language("Азәрбајҹан Республикасынын Президенти", ""), "az");
    EXPECT_EQ(tag::detect_language("Dagestani wrestler wins gold", ""), "en");
    EXPECT_EQ(tag::detect_language("", ""), "");
}

TEST(LanguageDetection, TheFeedsLanguageWins) {
    auto declared = tag::article_language("ru-RU", "NATO summit", "Allies met.");
    EXPECT_EQ(declared.code, "ru-RU");
    EXPECT_FALSE(declared.detected);
    auto detected = tag::article_language("", "NATO summit", "Allies met in the Hague.");
    EXPECT_EQ(detected.code, "en");
    EXPECT_TRUE(detected.detected);
    EXPECT_EQ(tag::language_of("ru-RU"), tag::Language::ru);
    EXPECT_EQ(tag::language_of("de"), tag::Language::none);
}
// However ё and the Turkic i are written (precomposed, or a letter and a combining mark),
// they match as README says, in plain terms, stem* terms and inflected forms.
TEST(Matching, YoIsYeWhateverWayItIsWritten) {
    const char* decomposed = "Партне\xCC\x88рство"; // е + U+0308
    EXPECT_TRUE(matches("Партнёрство", decomposed));
    EXPECT_TRUE(matches("партнерство", decomposed));
    EXPECT_TRUE(matches(decomposed, "Партнерство"));
    EXPECT_TRUE(matches(decomposed, "ПАРТНЁРСТВО"));
    EXPECT_TRUE(matches("Партнёрство", "партнерства", tag::Language::ru));
    EXPECT_TRUE(matches("партнерство", "Партнёрства", tag::Language::ru));
    EXPECT_TRUE(matches("партнерство", "партне\xCC\x88рствами", tag::Language::ru));
    EXPECT_TRUE(matches("Пётр*", "Петру"));
    EXPECT_TRUE(matches("Петр*", "Пе\xCC\x88тру"));
    EXPECT_TRUE(matches("Королёв", "КОРОЛЕВ"));
    EXPECT_FALSE(matches("партнёрство!", decomposed)); // exact letters stay exact
}

TEST(Matching, DottedAndDotlessIWhateverWayTheyAreWritten) {
    EXPECT_TRUE(matches("Şərqi", "S\xCC\xA7\xC9\x99rqi")); // Ş as S + U+0327
    EXPECT_TRUE(matches("İstanbul", "I\xCC\x87STANBUL"));  // İ as I + U+0307
    EXPECT_TRUE(matches("İstanbul*", "I\xCC\x87stanbul'da"));
    EXPECT_TRUE(matches("Bakı", "BAKIDA", tag::Language::az));
    EXPECT_TRUE(matches("Baki", "Bakıda", tag::Language::az));
    EXPECT_TRUE(matches("BAKI", "bakıda", tag::Language::az));
    EXPECT_TRUE(matches("İlham", "ILHAMIN", tag::Language::az));
    EXPECT_TRUE(matches("Ilham", "İlhamın", tag::Language::az));
    EXPECT_TRUE(matches("İrtibat", "IRTIBATI", tag::Language::tr));
    EXPECT_TRUE(matches("ırtibat", "İRTİBATI", tag::Language::tr));
    EXPECT_TRUE(matches("İrtibat", "I\xCC\x87rtibatı", tag::Language::tr));
    EXPECT_TRUE(matches("Bakı*", "BAKIDA"));
    EXPECT_TRUE(matches("Baki*", "Bakıda"));
}
