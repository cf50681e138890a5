// The sanitizer against the markup an attacker writes: tags read as the HTML5 tokenizer reads
// them (every ASCII white space ends an attribute name), and only allowed elements,
// attributes and URL schemes kept.
#include <gtest/gtest.h>

#include "newsmon/parsers/html.hpp"
#include "newsmon/parsers/html_policy.hpp"

using newsmon::parsers::sanitize_html;
namespace policy = newsmon::parsers::html_policy;

namespace {

std::string clean(std::string_view html) {
    return sanitize_html(html, "");
}

} // namespace

TEST(Sanitizer, FormFeedEndsAnAttributeName) {
    EXPECT_EQ(clean("<img src=x x\fonerror=alert(1)>"), "<img src=\"x\">");
    EXPECT_EQ(clean("<details open x\fontoggle=alert(1)>t</details>"), "<details open>t</details>");
    EXPECT_EQ(clean("<p\fonclick=alert(1)>t</p>"), "<p>t</p>");
}

TEST(Sanitizer, EveryAsciiWhiteSpaceSeparatesAttributes) {
    for (char space : {' ', '\t', '\n', '\r', '\f'}) {
        std::string html = std::string("<img src=x") + space + "onerror=alert(1)>";
        EXPECT_EQ(clean(html), "<img src=\"x\">") << static_cast<int>(space);
    }
}

TEST(Sanitizer, SlashAndEqualsSignsDoNotHideAttributes) {
    EXPECT_EQ(clean("<img/src=x/onerror=alert(1)>"), "<img src=\"x/onerror=alert(1)\">");
    EXPECT_EQ(clean("<img src=x =onerror=alert(1)>"), "<img src=\"x\">");
    EXPECT_EQ(clean("<a href=\"https://a.example.test/\"/onclick=alert(1)>t</a>"),
              "<a href=\"https://a.example.test/\">t</a>");
}

TEST(Sanitizer, QuotesCountOnlyWhereAValueStarts) {
    // A quote inside an unquoted value is part of it; the tag ends at the first '>'.
    EXPECT_EQ(clean("<a title=x\"y>z</a>\"<b>bold</b>"),
              "<a title=\"x&quot;y\">z</a>\"<b>bold</b>");
    EXPECT_EQ(clean("<a title='>'>z</a>"), "<a title=\"&gt;\">z</a>");
}

TEST(Sanitizer, TheFirstOfTwoSameNamedAttributesWins) {
    EXPECT_EQ(clean("<a href=\"https://a.example.test/\" href=\"javascript:alert(1)\">t</a>"),
              "<a href=\"https://a.example.test/\">t</a>");
    EXPECT_EQ(clean("<a href=\"javascript:alert(1)\" href=\"https://a.example.test/\">t</a>"),
              "<a>t</a>");
}

TEST(Sanitizer, ATagCutOffByTheEndIsDropped) {
    EXPECT_EQ(clean("text <img src=x onerror=alert(1)"), "text ");
    EXPECT_EQ(clean("text <a href=\"https://a.example.test/>more"), "text ");
}

TEST(Sanitizer, OnlyAllowedElementsAreKept) {
    EXPECT_EQ(clean("<font color=red>red</font> <blink>b</blink> <my-widget>w</my-widget>"),
              "red b w");
    EXPECT_EQ(clean("<form action=/x><input name=q><button>Go</button>text</form>"), "text");
    EXPECT_EQ(clean("<p>a</p><xmp><img src=x onerror=alert(1)></xmp><p>b</p>"), "<p>a</p><p>b</p>");
    EXPECT_EQ(clean("<p>a</p><portal src=https://x.example.test/>p</portal>"), "<p>a</p>");
    EXPECT_EQ(clean("<p>a</p><plaintext><img src=x onerror=alert(1)>"), "<p>a</p>");
    EXPECT_EQ(clean("<svg><script>alert(1)</script></svg><math><mi>x</mi></math>ok"), "ok");
    EXPECT_EQ(clean("<SCRIPT>alert(1)</SCRIPT >ok"), "ok");
    EXPECT_EQ(clean("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>"),
              "<img src=\"x\">\">");
}

TEST(Sanitizer, RawTextEndsOnlyAtItsOwnEndTag) {
    // "</scriptx>" does not end a script: everything up to "</script>" goes.
    EXPECT_EQ(clean("<script>a</scriptx><p>b</p></script>c"), "c");
    EXPECT_EQ(clean("<style>p{}</style\f>c"), "c");
}

TEST(Sanitizer, OnlyAllowedAttributesAreKept) {
    EXPECT_EQ(clean("<p id=x class=y style=\"color:red\" lang=az title=t dir=ltr>t</p>"),
              "<p lang=\"az\" title=\"t\" dir=\"ltr\">t</p>");
    EXPECT_EQ(clean("<img src=\"https://i.example.test/a.png\" srcset=\"x 2x\" alt=a width=10>"),
              "<img src=\"https://i.example.test/a.png\" alt=\"a\" width=\"10\">");
    EXPECT_EQ(clean("<td colspan=2 bgcolor=red>c</td>"), "<td colspan=\"2\">c</td>");
    EXPECT_EQ(clean("<a href=\"https://a.example.test/\" target=_blank xmlns:x=y>t</a>"),
              "<a href=\"https://a.example.test/\">t</a>");
}

TEST(Sanitizer, OnlyWebAndMailSchemesAreKept) {
    for (std::string url :
         {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " \x01javascript:alert(1)",
          "java\tscript:alert(1)", "java&#x09;script:alert(1)", "&#106;avascript:alert(1)",
          "javascript&colon;alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>",
          "feed:https://x.example.test/", "file:///etc/passwd", "ftp://x.example.test/"}) {
        EXPECT_EQ(clean("<a href=\"" + url + "\">t</a>"), "<a>t</a>") << url;
    }
    EXPECT_EQ(clean("<a href=\"mailto:desk@x.example.test\">m</a>"),
              "<a href=\"mailto:desk@x.example.test\">m</a>");
    EXPECT_EQ(clean("<img src=\"mailto:desk@x.example.test\">"), "<img>");
    EXPECT_EQ(clean("<a href=\"HTTPS://x.example.test/\">m</a>"),
              "<a href=\"HTTPS://x.example.test/\">m</a>");
}

TEST(Sanitizer, OnlyRasterPicturesMayBeInline) {
    EXPECT_EQ(clean("<img src=\"data:image/png;base64,iVBO\">"),
              "<img src=\"data:image/png;base64,iVBO\">");
    EXPECT_EQ(clean("<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">"), "<img>");
    EXPECT_EQ(clean("<a href=\"data:image/png;base64,iVBO\">t</a>"), "<a>t</a>");
    EXPECT_EQ(clean("<video poster=\"data:image/png;base64,iVBO\"></video>"), "<video></video>");
}

TEST(Sanitizer, ABaseWithAScriptSchemeIsNotFollowed) {
    // An xml:base such as this one would turn every relative link into a script.
    EXPECT_EQ(sanitize_html("<a href=\"x\">t</a>", "javascript://h.example.test/%0Aalert(1)/"),
              "<a>t</a>");
    EXPECT_EQ(sanitize_html("<a href=\"x\">t</a>", "https://h.example.test/d/"),
              "<a href=\"https://h.example.test/d/x\">t</a>");
}

TEST(Sanitizer, CommentsEndWhereBrowsersEndThem) {
    EXPECT_EQ(clean("a<!-->b"), "ab");
    EXPECT_EQ(clean("a<!--->b"), "ab");
    EXPECT_EQ(clean("a<!-- x --!>b"), "ab");
    EXPECT_EQ(clean("a<!-- <img src=x onerror=alert(1)> -->b"), "ab");
    EXPECT_EQ(clean("a<? x ?>b<!DOCTYPE html>c<![CDATA[d]]>e"), "abce");
    // "</" without a letter opens a bogus comment, which the first '>' ends.
    EXPECT_EQ(clean("a</ title=\"x>b\"><i>c</i>"), "ab\"><i>c</i>");
    EXPECT_EQ(clean("a</>b"), "ab");
}

TEST(Sanitizer, NulInNamesIsNotAnOpening) {
    EXPECT_EQ(clean(std::string("<img src=x o\0nerror=alert(1)>", 29)), "<img src=\"x\">");
    EXPECT_EQ(clean(std::string("<scr\0ipt>alert(1)</scr\0ipt>", 27)), "alert(1)");
}

TEST(Sanitizer, EveryLessThanThatOpensNoTagIsEscaped) {
    EXPECT_EQ(clean("a < b <1 c <"), "a &lt; b &lt;1 c &lt;");
    EXPECT_EQ(clean("x </"), "x &lt;/");
}

TEST(Sanitizer, OutputIsAFixedPoint) {
    for (std::string html : {"<p title='a\"b'>x &amp; y</p>", "<a href=\"/r?a=1&amp;b=2\">l</a>",
                             "<img src=x x\fonerror=alert(1)>", "a < b <!-- c --> <p\t>d"}) {
        std::string once = sanitize_html(html, "https://h.example.test/");
        EXPECT_EQ(sanitize_html(once, "https://h.example.test/"), once) << html;
    }
}

TEST(HtmlPolicy, ListsWhatBrowsersCannotRun) {
    EXPECT_TRUE(policy::keeps_element("p"));
    EXPECT_FALSE(policy::keeps_element("script"));
    EXPECT_FALSE(policy::keeps_element("xmp"));
    EXPECT_FALSE(policy::keeps_element("svg"));
    EXPECT_TRUE(policy::keeps_attribute("a", "href"));
    EXPECT_TRUE(policy::keeps_attribute("span", "title"));
    EXPECT_FALSE(policy::keeps_attribute("img", "onerror"));
    EXPECT_FALSE(policy::keeps_attribute("a", ""));
    EXPECT_TRUE(policy::keeps_url("a", "href", "/relative"));
    EXPECT_FALSE(policy::keeps_url("a", "href", "\x01 javascript:x"));
}
