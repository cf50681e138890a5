#!/usr/bin/env python3
"""Generated articles for bench/scale, as COPY text in the daemon's row shape.

  scale_gen.py vocab OUT            the vocabulary, one word a line, for the base forms
  scale_gen.py articles ARGS        articles (COPY text) on stdout; stories and topics to files

Each article is two hundred words or so of one feed's language (English, Russian, Azerbaijani or
Turkish) drawn with Zipf's law from a vocabulary of real and made-up words, with a few words of
the other languages mixed in. Articles come in stories (one to a dozen feeds reporting one
event within hours); some copies are republications (duplicate_of the story's first article,
same title and text). About 12% of stories are tagged nato and 18% azerbaijan, and only their
text holds the topics' terms (a fifth of the nato ones "partnership for peace"); every 50,000th
article holds the rare word. The words column is filled from the base forms `newsmon retag` gave each vocabulary word (the map file), so that
`newsmon search` reads it as the daemon wrote it.
"""
import argparse
import hashlib
import itertools
import re
import random
import sys
from datetime import datetime, timezone

LANGUAGES = ["en", "ru", "az", "tr"]

REAL = {
    "en": "the of and to in a is that for on with as by at from minister "
          "talks energy pipeline summit Rutte Brussels allies security partnership peace gas oil "
          "president visit Caspian railway weather football market price bank election court "
          "school government said year people city water new report police border trade army "
          "agreement meeting parliament budget company project health hospital university "
          "ministry region",
    "ru": "и в на не что с по как из за от для министр переговоры "
          "энергетика трубопровод саммит Брюссель союзники безопасность мир газ нефть президент "
          "визит Каспий железная погода футбол рынок цена банк выборы суд школа правительство "
          "заявил год люди город вода новый доклад полиция граница торговля армия соглашение "
          "встреча парламент бюджет компания проект здоровье больница университет министерство",
    "az": "və bu ilə üçün da də bir olan nazir danışıqlar enerji boru "
          "sammit Brüssel müttəfiqlər təhlükəsizlik tərəfdaşlıq sülh qaz neft prezident səfər "
          "Xəzər dəmir hava futbol bazar qiymət bank seçki məhkəmə məktəb hökumət bildirib il "
          "insanlar şəhər su yeni hesabat polis sərhəd ticarət ordu saziş görüş parlament büdcə "
          "şirkət layihə səhiyyə xəstəxana universitet nazirlik",
    "tr": "ve bu ile için da de bir olan bakan görüşmeler enerji boru zirve "
          "Brüksel müttefikler güvenlik ortaklık barış gaz petrol cumhurbaşkanı ziyaret Hazar "
          "demiryolu hava futbol piyasa fiyat banka seçim mahkeme okul hükümet açıkladı yıl "
          "insanlar şehir su yeni rapor polis sınır ticaret ordu anlaşma toplantı meclis bütçe "
          "şirket proje sağlık hastane üniversite bakanlık",
}
SYLLABLES = {
    "en": "ka ter mon ri sel van dor lin pa stro ne gal bre tim chor wel fas ond ing er ly ment "
          "tion al pre con sta vi ro",
    "ru": "ка тер мон ри сель ван дор лин па стро не гал бре тим хор вел фас ов ска ни ли ость "
          "ени ать про кон ста ви ро",
    "az": "ka tər mon ri səl van dor lin pa stro nə gal bre tim xor vel fas ov şa çı lı ğı üz "
          "öl ət əs ır",
    "tr": "ka ter mon ri sel van dor lin pa stro ne gal bre tim hor vel fas ov şa çı lı ğı üz "
          "öl et as ır",
}
MADE_UP = 3000
PARAGRAPHS = 4000  # per language, drawn from per article  # made-up words per language, after the real ones in Zipf rank
TERMS = {
    "nato": {"en": ["NATO"], "ru": ["НАТО"], "az": ["NATO"], "tr": ["NATO"]},
    "azerbaijan": {"en": ["Baku", "Azerbaijan"], "ru": ["Баку", "Азербайджан"],
                   "az": ["Bakı", "Azərbaycan"], "tr": ["Bakü", "Azerbaycan"]},
}
PHRASE = {"en": "partnership for peace", "ru": "Партнёрство ради мира",
          "az": "Sülh naminə tərəfdaşlıq", "tr": "Barış için ortaklık"}
RARE_WORD = "Zardabiyevich"  # every RARE_EVERY-th article
RARE_EVERY = 50_000
FEED_LANGUAGES = ["en"] * 7 + ["ru"] * 6 + ["az"] * 4 + ["tr"] * 3  # feed i: [i % 20]


def vocabulary():
    """Per language, the words in Zipf rank (deterministic)."""
    rng = random.Random(7)
    words = {}
    for lang in LANGUAGES:
        real = REAL[lang].split()
        syllables = SYLLABLES[lang].split()
        made, seen = [], set(w.lower() for w in real)
        while len(made) < MADE_UP:
            word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                made.append(word)
        words[lang] = real + made
    return words


def all_words():
    out = set()
    for lang_words in vocabulary().values():
        out.update(lang_words)
    for topic in TERMS.values():
        for terms in topic.values():
            out.update(terms)
    for phrase in PHRASE.values():
        out.update(phrase.split())
    out.add(RARE_WORD)
    return sorted(out)


NOT_WORD = re.compile(r"[\W_]+")


def copy_escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Writer:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.vocab = vocabulary()
        self.base = {}
        with open(args.map, encoding="utf-8") as f:
            for line in f:
                word, lexemes = line.rstrip("\n").split("\t")
                self.base[word] = lexemes.split(" ")
        self.cum = {}
        for lang, words in self.vocab.items():
            weights = [1.0 / (rank + 2) for rank in range(len(words))]
            self.cum[lang] = list(itertools.accumulate(weights))
        self.feeds_by_lang = {lang: [] for lang in LANGUAGES}
        for feed in range(1, args.feeds + 1):
            self.feeds_by_lang[FEED_LANGUAGES[feed % 20]].append(feed)
        self.feeds = args.feeds
        self.pools()

    def draw(self, lang, count):
        return self.rng.choices(self.vocab[lang], cum_weights=self.cum[lang], k=count)

    def text(self, lang, count):
        words = self.draw(lang, count)
        # a few words of the other languages, as quotes and names mix them in
        for _ in range(count // 25):
            other = self.rng.choice(LANGUAGES)
            words[self.rng.randrange(count)] = self.draw(other, 1)[0]
        return words

    def lexemes(self, words):
        out = set()
        for word in words:
            out.update(self.base[word])
        return frozenset(out)

    def pool(self, lang, size, low, high):
        """Pieces of text made once and drawn from per article: (text, lexemes)."""
        pieces = []
        for _ in range(size):
            words = self.text(lang, self.rng.randint(low, high))
            pieces.append((" ".join(words), self.lexemes(words)))
        return pieces

    def pools(self):
        self.paragraphs = {lang: self.pool(lang, PARAGRAPHS, 30, 70) for lang in LANGUAGES}
        self.summaries = {lang: self.pool(lang, PARAGRAPHS // 2, 20, 35) for lang in LANGUAGES}
        self.insert = {}
        for topic, by_lang in TERMS.items():
            for lang, terms in by_lang.items():
                self.insert[(topic, lang)] = [(t, self.lexemes([t])) for t in terms]
        for lang, phrase in PHRASE.items():
            self.insert[("phrase", lang)] = [(phrase, self.lexemes(phrase.split()))]
        self.insert[("rare", "")] = [(RARE_WORD, self.lexemes([RARE_WORD]))]


def fmt_time(epoch):
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M:%S+00")


def articles(args):
    w = Writer(args)
    rng = w.rng
    out = sys.stdout
    stories = open(args.stories, "w", encoding="utf-8")
    topics = open(args.topics, "w", encoding="utf-8")
    article_id = args.first_id
    story_id = args.first_story
    end_id = args.first_id + args.count
    span = args.to_epoch - args.from_epoch
    lines = []
    while article_id < end_id:
        # evenly over the span by article, whatever the stories' sizes come to
        done = (article_id - args.first_id) / args.count
        t = args.from_epoch + span * done + rng.uniform(0, 600)
        roll = rng.random()
        size = 1 if roll < 0.70 else rng.randint(2, 3) if roll < 0.92 else rng.randint(4, 12)
        size = min(size, end_id - article_id)
        nato = rng.random() < 0.12
        azerbaijan = rng.random() < 0.18
        first_feed = rng.randint(1, w.feeds)
        feeds = [first_feed] + rng.sample(range(1, w.feeds + 1), size - 1) if size > 1 else [first_feed]
        first_id = article_id
        first = None
        times = []
        languages = set()
        for k, feed in enumerate(feeds):
            aid = article_id
            article_id += 1
            published = t if k == 0 else t + rng.uniform(60, 6 * 3600)
            published = min(published, args.to_epoch)
            times.append(published)
            lang = FEED_LANGUAGES[feed % 20]
            duplicate_of = None
            if k > 0 and rng.random() < 0.15:
                # a republication: another feed reruns the first report word for word
                duplicate_of = first_id
                title, summary, paras, lang, words = first
            else:
                title_words = w.text(lang, rng.randint(6, 10))
                lexemes = set(w.lexemes(title_words))
                summary, summary_lexemes = rng.choice(w.summaries[lang])
                lexemes |= summary_lexemes
                paras = []
                for _ in range(rng.randint(3, 5)):
                    text, para_lexemes = rng.choice(w.paragraphs[lang])
                    paras.append(text)
                    lexemes |= para_lexemes
                extra = []
                for topic, on in (("nato", nato), ("azerbaijan", azerbaijan)):
                    if on:
                        if rng.random() < 0.5:
                            term = rng.choice(TERMS[topic][lang])
                            title_words[rng.randrange(len(title_words))] = term
                            lexemes |= w.lexemes([term])
                        extra.extend(rng.choices(w.insert[(topic, lang)], k=rng.randint(1, 3)))
                if nato and rng.random() < 0.2:
                    extra.append(w.insert[("phrase", lang)][0])
                if aid % RARE_EVERY == 0:
                    extra.append(w.insert[("rare", "")][0])
                for text, extra_lexemes in extra:
                    # the term closes a sentence of a paragraph of its own
                    paras.append(f"{text} {rng.choice(paras)[:120]}")
                    lexemes |= extra_lexemes
                title = " ".join(title_words).capitalize()
                words = " ".join(sorted(lexemes))
            if k == 0:
                first = (title, summary, paras, lang, words)
            languages.add(lang)
            content = "\n\n".join(paras)
            html = "<p>" + "</p><p>".join(paras) + "</p>"
            url = f"https://feed{feed}.example.test/news/{aid}"
            title_key = NOT_WORD.sub("", title.lower())
            stamp = fmt_time(published)
            lines.append("\t".join((
                str(aid), str(feed), f"item-{aid}", url, url, copy_escape(title),
                copy_escape(summary), copy_escape(content), copy_escape(html), lang, stamp, stamp,
                hashlib.md5(f"{aid}".encode()).hexdigest(), title_key,
                str(duplicate_of) if duplicate_of else "\\N", str(story_id), words)))
            if nato:
                topics.write(f"{aid}\tnato\t3\t2\t{{NATO}}\t{'t' if k == 0 else 'f'}\n")
            if azerbaijan:
                topics.write(f"{aid}\tazerbaijan\t4\t2\t{{Baku}}\tf\n")
        stories.write("\t".join((
            str(story_id), str(first_id), fmt_time(times[0]), fmt_time(max(times)), str(size),
            str(len(set(feeds))), "{" + ",".join(sorted(languages)) + "}",
            copy_escape(first[0]))) + "\n")
        story_id += 1
        if len(lines) >= 2000:
            out.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")
    out.flush()
    stories.close()
    topics.close()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    vocab = sub.add_parser("vocab")
    vocab.add_argument("out")
    gen = sub.add_parser("articles")
    gen.add_argument("--map", required=True, help="word TAB base lexemes, from newsmon retag")
    gen.add_argument("--count", type=int, required=True)
    gen.add_argument("--first-id", type=int, required=True)
    gen.add_argument("--first-story", type=int, required=True)
    gen.add_argument("--from-epoch", type=float, required=True)
    gen.add_argument("--to-epoch", type=float, required=True)
    gen.add_argument("--feeds", type=int, default=1000)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--stories", required=True)
    gen.add_argument("--topics", required=True)
    args = parser.parse_args()
    if args.command == "vocab":
        with open(args.out, "w", encoding="utf-8") as f:
            f.write("\n".join(all_words()) + "\n")
    else:
        articles(args)


if __name__ == "__main__":
    main()
