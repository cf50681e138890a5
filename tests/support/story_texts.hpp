// One event reported three ways (an English report, an English wire copy, a Russian report)
// and another event like it, for the tests of stories and of per-story alerts.
#pragma once

namespace newsmon::testkit::story_texts {

inline const char* const k_english_report =
    "Azerbaijan Railways and Georgian Railway signed an agreement in Tbilisi on Tuesday to cut "
    "freight tariffs on the Baku-Tbilisi-Kars line by 12 percent from 1 July. The deal, signed by "
    "Rovshan Rustamov and David Peradze, covers grain, cotton and container cargo bound for "
    "Turkish ports and is expected to lift annual volumes to 5 million tonnes by 2028.";
inline const char* const k_english_copy =
    "Freight tariffs on the Baku-Tbilisi-Kars line will fall by 12 percent from 1 July. Azerbaijan "
    "Railways and Georgian Railway signed an agreement in Tbilisi on Tuesday; the deal, signed by "
    "Rovshan Rustamov and David Peradze, covers grain, cotton and container cargo bound for "
    "Turkish ports.";
inline const char* const k_russian_report =
    "«Азербайджанские железные дороги» и «Грузинская железная дорога» подписали во вторник в "
    "Тбилиси соглашение о снижении тарифов на грузоперевозки по линии Баку-Тбилиси-Карс на 12 "
    "процентов с 1 июля. Документ подписали Ровшан Рустамов и Давид Перадзе. Ожидается, что к 2028 "
    "году объем перевозок вырастет до 5 миллионов тонн.";
inline const char* const k_other_event =
    "Officials of Azerbaijan and Kazakhstan met in Aktau on Wednesday to discuss new ferry "
    "schedules across the Caspian Sea. The talks covered port fees, the number of vessels and "
    "a joint booking system for lorries travelling between Alat and Kuryk.";

} // namespace newsmon::testkit::story_texts
