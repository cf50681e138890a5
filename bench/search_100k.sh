#!/usr/bin/env bash
# bench/search_100k.sh NEWSMON ADMIN_CONNINFO [COUNT]: `newsmon search` on an archive of COUNT
# (100,000) articles in English, Russian, Azerbaijani and Turkish, made up from a small
# vocabulary. Creates the database newsmon_bench_search in the cluster of ADMIN_CONNINFO (libpq
# key=value form), fills the articles' words with `newsmon retag`, and prints, for each
# query, the median wall time of three runs of `newsmon search`, and of the statement the
# search command used before it took the alert grammar (websearch_to_tsquery on the stored
# `search` column), run by psql. With OLD_NEWSMON set to an older binary, its `search` is
# timed too (the old command read the query as web search syntax).
set -eu
newsmon=$1 admin=$2 count=${3:-100000}
db=newsmon_bench_search
url="$admin dbname=$db"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql -q "$admin" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
cat >"$work/newsmon.toml" <<TOML
[database]
url = "$url"

[[feed]]
name = "Wire"
url = "https://wire.example.test/rss"

[[topic]]
name = "nato"
terms = ["NATO", "НАТО"]

[[topic]]
name = "azerbaijan"
terms = ["Azerbaijan*", "Azərbaycan*", "Азербайдж*", "Baku", "Bakı", "Баку"]
TOML
"$newsmon" --config "$work/newsmon.toml" --log-level warn migrate >/dev/null
psql -q "$url" <<SQL
INSERT INTO feeds (url, name) VALUES ('https://wire.example.test/rss', 'Wire');
CREATE TEMPORARY TABLE vocabulary (language text, words text[]);
INSERT INTO vocabulary VALUES
 ('en', '{NATO,Baku,Azerbaijan,Azerbaijani,minister,talks,energy,pipeline,summit,Rutte,Stoltenberg,Brussels,allies,security,partnership,peace,gas,oil,president,visit,Caspian,railway,weather,football,market,price,bank,election,court,school}'),
 ('ru', '{НАТО,Баку,Азербайджан,Азербайджана,министр,переговоры,энергетика,трубопровод,саммит,Рютте,Столтенберг,Брюссель,союзники,безопасность,партнёрство,мир,газ,нефть,президент,визит,Каспий,железная,погода,футбол,рынок,цена,банк,выборы,суд,школа}'),
 ('az', '{NATO,Bakı,Azərbaycan,Azərbaycanın,nazir,danışıqlar,enerji,boru,sammit,Rutte,Stoltenberq,Brüssel,müttəfiqlər,təhlükəsizlik,tərəfdaşlıq,sülh,qaz,neft,prezident,səfər,Xəzər,dəmir,hava,futbol,bazar,qiymət,bank,seçki,məhkəmə,məktəb}'),
 ('tr', '{NATO,Bakü,Azerbaycan,Azerbaycanın,bakan,görüşmeler,enerji,boru,zirve,Rutte,Stoltenberg,Brüksel,müttefikler,güvenlik,ortaklık,barış,gaz,petrol,cumhurbaşkanı,ziyaret,Hazar,demiryolu,hava,futbol,piyasa,fiyat,banka,seçim,mahkeme,okul}');
INSERT INTO articles (feed_id, guid, url, title, summary, language, published_at, content_hash,
                      title_key, story_id)
SELECT f.id, 'bench-' || g, 'https://wire.example.test/' || g,
       (SELECT string_agg(v.words[1 + (abs(hashint4(g * 31 + k)) % 30)], ' ')
          FROM generate_series(1, 6) k),
       (SELECT string_agg(v.words[1 + (abs(hashint4(g * 97 + k)) % 30)], ' ')
          FROM generate_series(1, 60) k),
       v.language, now() - g * interval '26 seconds', md5(g::text), '',
       nextval(pg_get_serial_sequence('stories', 'id'))
  FROM generate_series(1, $count) g
  JOIN vocabulary v ON v.language = (ARRAY['en','ru','az','tr'])[1 + g % 4]
  CROSS JOIN feeds f;
INSERT INTO stories (id, first_article_id, first_seen_at, last_seen_at, article_count,
                     feed_count, languages, title)
SELECT story_id, id, published_at, published_at, 1, 1, ARRAY[language], title FROM articles;
VACUUM ANALYZE articles;
SQL
"$newsmon" --config "$work/newsmon.toml" --log-level warn retag >/dev/null 2>&1
psql -q "$url" -c "VACUUM ANALYZE articles" -c "VACUUM ANALYZE article_topics"
median() { sort -n | sed -n 2p; }
old_sql() {
  printf '%s\n' '\timing on' "SELECT a.id, f.name, a.title FROM articles a JOIN feeds f ON f.id = a.feed_id
 WHERE (a.search @@ websearch_to_tsquery('russian', \$q\$$1\$q\$)
        OR a.search @@ websearch_to_tsquery('simple', \$q\$$1\$q\$))
   AND a.duplicate_of IS NULL ORDER BY a.published_at DESC, a.id DESC LIMIT 20;" |
    psql -q "$url" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
base=$(for _ in 1 2 3; do
         start=$(date +%s%N)
         "$newsmon" --config "$work/newsmon.toml" --log-level warn check-config >/dev/null 2>&1
         echo $(( ($(date +%s%N) - start) / 1000000 ))
       done | median)
echo "process start and config (check-config): $base ms"
time_search() { # BINARY QUERY: median wall time in ms
  for _ in 1 2 3; do
    start=$(date +%s%N)
    "$1" --config "$work/newsmon.toml" --log-level warn search "$2" >/dev/null 2>&1 || true
    echo $(( ($(date +%s%N) - start) / 1000000 ))
  done | median
}
printf '%-55s %10s %10s %10s %6s\n' query "old SQL ms" "old cmd ms" "search ms" hits
for query in 'NATO' 'Baku' 'Bakı*' 'Azerbaijan*' 'NATO Baku' '"NATO summit"' \
  '(Rutte OR Stoltenberg) NEAR/5 Baku' 'title:NATO NOT football' 'Королёв' 'tərəfdaşlıq' \
  'topic:azerbaijan pipeline' 'Stoltenberg NEAR/0 Rutte'; do
  old=$(for _ in 1 2 3; do old_sql "$query"; done | median)
  new=$(time_search "$newsmon" "$query")
  before=-
  [ -n "${OLD_NEWSMON:-}" ] && before=$(time_search "$OLD_NEWSMON" "$query")
  hits=$("$newsmon" --config "$work/newsmon.toml" --log-level warn search "$query" 2>/dev/null | wc -l)
  printf '%-55s %10s %10s %10s %6s\n' "$query" "$old" "$before" "$new" "$hits"
done
