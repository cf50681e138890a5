#include "web/openapi.hpp"

namespace newsmon::web {
namespace {

// Written by hand, not from the routes: the test that compares the two is then a real check.
constexpr const char* k_document = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "newsmon API",
    "version": "1",
    "description": "JSON over what newsmon stored: articles, stories, topic volume, feed health and alerts. Lists are newest first and paged by an opaque cursor (next_cursor, null on the last page). Every response has a strong ETag; If-None-Match answers 304. Errors are {\"error\": message, \"parameter\": name} with status 400 (a parameter or body field is wrong or unknown) or 404. The only writes add an alert rule and switch one on or off: they need the bearer token even where reads are public, and other paths answer 405 to anything but GET."
  },
  "servers": [{"url": "/api/v1"}],
  "paths": {
    "/articles": {
      "get": {
        "summary": "Stored articles (republications left out), newest first",
        "parameters": [
          {"$ref": "#/components/parameters/q"},
          {"$ref": "#/components/parameters/topic"},
          {"name": "feed", "in": "query", "description": "A configured feed's name", "schema": {"type": "string", "maxLength": 200}, "example": "Wire"},
          {"name": "lang", "in": "query", "description": "Language code", "schema": {"type": "string", "maxLength": 16}, "example": "en"},
          {"$ref": "#/components/parameters/since"},
          {"name": "until", "in": "query", "description": "Published before: a date, an RFC 3339 time or a duration back from now", "schema": {"type": "string"}, "example": "2099-01-01"},
          {"$ref": "#/components/parameters/cursor"},
          {"$ref": "#/components/parameters/limit"}
        ],
        "responses": {"200": {"$ref": "#/components/responses/page"}, "400": {"$ref": "#/components/responses/error"}}
      }
    },
    "/articles/{id}": {
      "get": {
        "summary": "One article: text, its sanitized HTML, topics with matched terms, the alert rules it matched, story",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}, "example": 1}],
        "responses": {"200": {"description": "The article"}, "400": {"$ref": "#/components/responses/error"}, "404": {"$ref": "#/components/responses/error"}}
      }
    },
    "/stories": {
      "get": {
        "summary": "Stories by when they were last seen, newest first",
        "parameters": [
          {"name": "since", "in": "query", "description": "Last seen since (default 24h)", "schema": {"type": "string"}, "example": "7d"},
          {"$ref": "#/components/parameters/topic"},
          {"$ref": "#/components/parameters/cursor"},
          {"$ref": "#/components/parameters/limit"}
        ],
        "responses": {"200": {"$ref": "#/components/responses/page"}, "400": {"$ref": "#/components/responses/error"}}
      }
    },
    "/stories/{id}": {
      "get": {
        "summary": "One story: every article and outlet, the first publisher, the timeline",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}, "example": 1}],
        "responses": {"200": {"description": "The story"}, "400": {"$ref": "#/components/responses/error"}, "404": {"$ref": "#/components/responses/error"}}
      }
    },
    "/topics/{topic}/counts": {
      "get": {
        "summary": "Articles and stories of a topic per hour or per day (UTC), empty buckets included",
        "description": "articles: the topic's articles published in the bucket, republications left out. stories: the stories opened in the bucket, that is those whose first article is one of these; they add up across buckets. Read from the hourly rollups kept at ingest.",
        "parameters": [
          {"name": "topic", "in": "path", "required": true, "schema": {"type": "string"}, "example": "nato"},
          {"name": "interval", "in": "query", "schema": {"type": "string", "enum": ["hour", "day"], "default": "day"}, "example": "hour"},
          {"name": "since", "in": "query", "description": "First bucket (default 48h for hours, 30d for days; at most 31 days of hours or 366 of days)", "schema": {"type": "string"}, "example": "2d"}
        ],
        "responses": {"200": {"description": "{topic, interval, since, buckets: [{start, articles, stories}]}"}, "400": {"$ref": "#/components/responses/error"}, "404": {"$ref": "#/components/responses/error"}}
      }
    },
    "/feeds": {
      "get": {
        "summary": "Enabled feeds with their health: failing, silent, overdue",
        "responses": {"200": {"description": "{items: [...]}"}}
      }
    },
    "/alerts": {
      "get": {
        "summary": "Alert rules with their delivery counts and last error (no channel addresses, no secrets)",
        "responses": {"200": {"description": "{items: [...]}"}}
      },
      "post": {
        "summary": "Add an alert rule, checked as `newsmon alert add` checks it",
        "security": [{"bearer": []}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/new_rule"},
            "example": {"name": "nato-baku", "query": "NATO AND (Baku OR Bakı)", "channels": {"webhook": ["https://chat.example.org/hooks/abc"], "notify": true}, "digest": "1h"}
          }}
        },
        "responses": {
          "201": {"description": "The rule as GET /alerts lists it"},
          "400": {"$ref": "#/components/responses/error"},
          "401": {"$ref": "#/components/responses/error"},
          "403": {"$ref": "#/components/responses/error"},
          "409": {"$ref": "#/components/responses/error"},
          "413": {"$ref": "#/components/responses/error"},
          "415": {"$ref": "#/components/responses/error"}
        }
      }
    },
    "/alerts/{name}/enable": {
      "post": {
        "summary": "Switch a rule on (no body, sent as Content-Type: application/json)",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/rule"}],
        "responses": {"200": {"description": "The rule as GET /alerts lists it"}, "401": {"$ref": "#/components/responses/error"}, "403": {"$ref": "#/components/responses/error"}, "404": {"$ref": "#/components/responses/error"}, "415": {"$ref": "#/components/responses/error"}}
      }
    },
    "/alerts/{name}/disable": {
      "post": {
        "summary": "Switch a rule off (no body, sent as Content-Type: application/json); its deliveries are kept",
        "security": [{"bearer": []}],
        "parameters": [{"$ref": "#/components/parameters/rule"}],
        "responses": {"200": {"description": "The rule as GET /alerts lists it"}, "401": {"$ref": "#/components/responses/error"}, "403": {"$ref": "#/components/responses/error"}, "404": {"$ref": "#/components/responses/error"}, "415": {"$ref": "#/components/responses/error"}}
      }
    },
    "/alerts/{name}/deliveries": {
      "get": {
        "summary": "A rule's deliveries, newest first",
        "parameters": [
          {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}, "example": "desk"},
          {"$ref": "#/components/parameters/cursor"},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}, "example": 10}
        ],
        "responses": {"200": {"$ref": "#/components/responses/page"}, "400": {"$ref": "#/components/responses/error"}, "404": {"$ref": "#/components/responses/error"}}
      }
    },
    "/openapi.json": {
      "get": {"summary": "This description", "responses": {"200": {"description": "OpenAPI 3"}}}
    }
  },
  "components": {
    "parameters": {
      "q": {"name": "q", "in": "query", "description": "The alert and search query language: terms, \"phrases\", stem*, AND, OR, NOT, ( ), NEAR/n, title:, topic:, feed:, lang:", "schema": {"type": "string", "maxLength": 500}, "example": "NATO OR Baku"},
      "topic": {"name": "topic", "in": "query", "description": "A configured topic's name", "schema": {"type": "string", "maxLength": 200}, "example": "nato"},
      "since": {"name": "since", "in": "query", "description": "Published since: a date (2025-11-01), an RFC 3339 time or a duration back from now (7d)", "schema": {"type": "string"}, "example": "30d"},
      "cursor": {"name": "cursor", "in": "query", "description": "next_cursor of the previous page, as it was given", "schema": {"type": "string", "maxLength": 128}},
      "limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "example": 5},
      "rule": {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}, "example": "desk"}
    },
    "schemas": {
      "new_rule": {
        "type": "object",
        "required": ["name", "query", "channels"],
        "additionalProperties": false,
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Unique; no / and no control characters"},
          "query": {"type": "string", "description": "The query language of GET /articles?q="},
          "channels": {"type": "object", "additionalProperties": false, "properties": {
            "webhook": {"type": "array", "items": {"type": "string", "format": "uri"}},
            "email": {"type": "array", "items": {"type": "string", "format": "email"}},
            "notify": {"type": "boolean"}}},
          "digest": {"type": "string", "description": "One message per period (1h, 1d) instead of one per article"},
          "per": {"type": "string", "enum": ["article", "story"], "default": "article"},
          "updates": {"type": "integer", "minimum": 1, "maximum": 100000, "description": "With per story: an update each time the story has spread to this many more feeds"},
          "secret": {"type": "string", "minLength": 1, "description": "Signs webhook bodies; it is stored and never shown again (signed: true)"}
        }
      }
    },
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "[web] token_file or the credential web-token; writes always need it"}
    },
    "responses": {
      "page": {"description": "{items: [...], next_cursor: string or null}"},
      "error": {
        "description": "What is wrong, and which parameter",
        "content": {"application/json": {"schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}}}}}
      }
    }
  }
})json";

} // namespace

const nlohmann::json& openapi_document() {
    static const nlohmann::json k_parsed = nlohmann::json::parse(k_document);
    return k_parsed;
}

} // namespace newsmon::web
