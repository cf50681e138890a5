// The daemon's Prometheus metrics: counters and gauges with labels, rendered in the text
// exposition format. Every metric is declared in one table (metrics.cpp) with its help text.
#pragma once

#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace newsmon::base {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Metrics {
public:
    Metrics();

    void add(std::string_view name, Labels labels = {}, double value = 1); // a counter
    void set(std::string_view name, Labels labels, double value);          // a gauge
    void set(std::string_view name, double value) { set(name, {}, value); }

    [[nodiscard]] std::string render() const;
    [[nodiscard]] double value(std::string_view name, Labels labels = {}) const; // for tests

private:
    struct Family {
        std::string type;
        std::string help;
        std::map<std::string, double> series; // by rendered label set
    };
    static std::string label_text(Labels labels);
    Family& family(std::string_view name);

    mutable std::mutex m_mutex;
    std::map<std::string, Family, std::less<>> m_families;
};

} // namespace newsmon::base
