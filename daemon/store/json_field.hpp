// A column read into the JSON the web API serves: SQL NULL becomes JSON null.
#pragma once

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace newsmon::store {

template <class Value> nlohmann::json json_or_null(const pqxx::field& field) {
    if (field.is_null())
        return nullptr;
    return field.as<Value>();
}

} // namespace newsmon::store
