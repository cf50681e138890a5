#include "web/stylesheet.hpp"

namespace newsmon::web {

std::string_view dashboard_stylesheet() {
    return R"css(:root { color-scheme: light dark; --bg: #fdfdfc; --fg: #1d1f21; --muted: #5f6368;
  --line: #d9dcdf; --accent: #1a5fb4; --bar: #7fa7d8; --story: #c0392b; --chip: #eef2f7;
  --mark: #fff0a8; --bad: #b3261e; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181b; --fg: #e3e5e8; --muted: #9aa0a6; --line: #33373c; --accent: #8ab4f8;
    --bar: #4a6f9c; --story: #f28b82; --chip: #262a30; --mark: #5c4a00; --bad: #f28b82; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
a { color: var(--accent); }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center;
  padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; text-decoration: none; color: var(--fg); }
form.search { display: flex; gap: .4rem; flex: 1 1 16rem; }
form.search input { flex: 1; min-width: 0; }
input, select, button { font: inherit; padding: .3rem .5rem; border: 1px solid var(--line);
  border-radius: 4px; background: var(--bg); color: var(--fg); }
button { cursor: pointer; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
footer { max-width: 72rem; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: .9rem; }
h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 0 2rem; }
.chart { width: 100%; height: 8rem; display: block; border-bottom: 1px solid var(--line); }
.chart rect { fill: var(--bar); }
.chart polyline { stroke: var(--story); stroke-width: 1.5; vector-effect: non-scaling-stroke; }
.chart text { fill: var(--muted); font-size: 10px; }
.legend { color: var(--muted); font-size: .85rem; margin: .2rem 0 .8rem; }
.legend .articles::before { content: "■ "; color: var(--bar); }
.legend .stories::before { content: "― "; color: var(--story); }
ol.items, ul.items { list-style: none; padding: 0; margin: 0; }
.items li { padding: .45rem 0; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); font-size: .85rem; }
.chip { display: inline-block; padding: 0 .45rem; border-radius: 999px; background: var(--chip);
  font-size: .8rem; text-decoration: none; }
.lang { font-size: .75rem; text-transform: uppercase; color: var(--muted);
  border: 1px solid var(--line); border-radius: 3px; padding: 0 .25rem; }
mark { background: var(--mark); color: inherit; }
.bad, .error { color: var(--bad); }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
.wide { overflow-x: auto; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
article.body { max-width: 42rem; }
/* Images stay on the outlet's site: loading them would tell it who reads (and CSP refuses). */
article.body img { display: none; }
blockquote { border-left: 3px solid var(--line); margin-left: 0; padding-left: 1rem; }
.pager { margin: 1rem 0; }
@media (max-width: 40rem) { main { padding: .6rem; } h1 { font-size: 1.25rem; } }
)css";
}

} // namespace newsmon::web
