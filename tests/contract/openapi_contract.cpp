#include "contract/openapi_contract.h"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "http/embedded.h"

namespace rapporteur::testing::contract {

using nlohmann::json;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    const size_t slash = path.find('/', i);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    out.push_back(path.substr(i, end - i));
    if (slash == std::string::npos) break;
    i = slash + 1;
  }
  return out;
}

bool is_parameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// The object a local "$ref" points to; the value itself when it is none.
const json& resolve(const json& value) {
  if (!value.is_object() || !value.contains("$ref")) return value;
  const std::string ref = value["$ref"].get<std::string>();
  return document().at(json::json_pointer(ref.substr(1)));
}

// A response object's application/json schema, or nullptr when the
// response documents no JSON body.
const json* json_schema_of(const json& response) {
  const json& r = resolve(response);
  auto content = r.find("content");
  if (content == r.end()) return nullptr;
  auto media = content->find("application/json");
  if (media == content->end()) return nullptr;
  auto schema = media->find("schema");
  return schema == media->end() ? nullptr : &*schema;
}

// The response documented for `status`: the exact code, then its class
// ("4XX"), then `default`; nullptr when there is none.
const json* response_for(const json& operation, int status) {
  auto responses = operation.find("responses");
  if (responses == operation.end()) return nullptr;
  const std::string code = std::to_string(status);
  for (const std::string& key : {code, code.substr(0, 1) + "XX", std::string("default")}) {
    auto it = responses->find(key);
    if (it != responses->end()) return &*it;
  }
  return nullptr;
}

// valijson parses a schema as the root of a JSON Schema document. The
// document handed to it is the schema under "allOf" beside a copy of the
// OpenAPI components, so that "#/components/schemas/..." resolves within it.
// The OpenAPI 3.1 schemas here use only JSON Schema keywords valijson's
// draft 7 knows (null as a type in oneOf, no `nullable`), so no conversion
// is needed; a keyword it does not know is ignored, as JSON Schema says.
class SchemaCache {
 public:
  const valijson::Schema& get(const json& schema) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = compiled_.find(&schema);
    if (it != compiled_.end()) return *it->second;
    auto root = std::make_unique<json>(json{{"components", document()["components"]}, {"allOf", {schema}}});
    auto compiled = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(*root);
    parser.populateSchema(adapter, *compiled);
    roots_.push_back(std::move(root));
    return *compiled_.emplace(&schema, std::move(compiled)).first->second;
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<json>> roots_;
  std::map<const json*, std::unique_ptr<valijson::Schema>> compiled_;
};

SchemaCache& cache() {
  static SchemaCache* c = new SchemaCache();  // never destroyed: used until exit
  return *c;
}

constexpr size_t kMaxDetailedBytes = 16 * 1024;

std::atomic<long> validated_all{0};
std::atomic<long> validated_outside_send{0};

// With RAPPORTEUR_CONTRACT_TALLY naming a file, each test process appends
// its two counts to it when it ends ("<all> <outside_send>"), so that a
// whole CTest run, one process per test case, can be summed.
struct TallyWriter {
  ~TallyWriter() {
    const char* file = std::getenv("RAPPORTEUR_CONTRACT_TALLY");
    if (file == nullptr || *file == '\0' || validated_all == 0) return;
    if (std::FILE* out = std::fopen(file, "a")) {
      std::fprintf(out, "%ld %ld\n", validated_all.load(), validated_outside_send.load());
      std::fclose(out);
    }
  }
};
TallyWriter tally_writer;

std::string place(const std::vector<std::string>& context) {
  std::string out;
  for (const auto& part : context) out += part;
  return out.empty() ? "<root>" : out;
}

}  // namespace

const json& document() {
  static const json doc = json::parse(rapporteur::http::openapi_json());
  return doc;
}

std::optional<std::string> match_path(const std::string& path) {
  const std::string bare = path.substr(0, path.find('?'));
  const auto concrete = segments(bare);
  std::optional<std::string> best;
  int best_literals = -1;
  for (const auto& [tmpl, item] : document()["paths"].items()) {
    const auto parts = segments(tmpl);
    if (parts.size() != concrete.size()) continue;
    int literals = 0;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i) {
      if (is_parameter(parts[i])) {
        match = !concrete[i].empty();
      } else {
        match = parts[i] == concrete[i];
        ++literals;
      }
    }
    if (match && literals > best_literals) {
      best = tmpl;
      best_literals = literals;
    }
  }
  return best;
}

std::string schema_errors(const json& schema, const json& value) {
  ++validated_all;
  const valijson::Schema& compiled = cache().get(schema);
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter target(value);
  // Without a results list valijson stops at the first error; with one it
  // goes on and lists every error, which for a large value (10,000 equal
  // items against uniqueItems: every pair) takes gigabytes. The details
  // are asked for only for values of a readable size.
  if (validator.validate(compiled, target, nullptr)) return "";
  const size_t size = value.dump().size();
  if (size > kMaxDetailedBytes) {
    return "does not conform (valijson's details left out for a value of " + std::to_string(size) + " bytes)";
  }
  valijson::ValidationResults results;
  validator.validate(compiled, target, &results);
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    if (!out.empty()) out += "; ";
    out += place(error.context) + ": " + error.description;
  }
  return out.empty() ? "does not conform (valijson gave no detail)" : out;
}

std::string check_response(const std::string& method, const std::string& path, int status,
                           const std::string& content_type, const std::string& content_encoding,
                           const std::string& body, bool* validated) {
  if (validated != nullptr) *validated = false;
  if (lower(content_type).rfind("application/json", 0) != 0) return "";
  if (!content_encoding.empty() && lower(content_encoding) != "identity") return "";
  const auto tmpl = match_path(path);
  if (!tmpl) return "";
  const json& item = document()["paths"][*tmpl];
  auto op = item.find(lower(method));
  if (op == item.end()) return "";
  const std::string route = method + " " + *tmpl + " (" + path + ") -> " + std::to_string(status);
  const json* response = response_for(*op, status);
  if (response == nullptr) return route + ": this status is not documented for the operation";
  const json* schema = json_schema_of(*response);
  if (schema == nullptr) return route + ": a JSON body, where the document has no application/json content";
  const json value = json::parse(body, nullptr, false);
  if (value.is_discarded()) return route + ": the body is not JSON: " + body.substr(0, 200);
  if (validated != nullptr) *validated = true;
  const std::string errors = schema_errors(*schema, value);
  if (errors.empty()) return "";
  return route + ": the body breaks its schema: " + errors + "\nbody: " + body.substr(0, 600);
}

const json* request_schema(const std::string& method, const std::string& path_template) {
  const json& paths = document()["paths"];
  auto item = paths.find(path_template);
  if (item == paths.end()) return nullptr;
  auto op = item->find(lower(method));
  if (op == item->end()) return nullptr;
  auto body = op->find("requestBody");
  if (body == op->end()) return nullptr;
  return json_schema_of(*body);
}

const json* event_schema(const std::string& path, const std::string& event) {
  const auto tmpl = match_path(path);
  if (!tmpl) return nullptr;
  const json& item = document()["paths"][*tmpl];
  auto op = item.find("get");
  if (op == item.end()) return nullptr;
  const json* ok = response_for(*op, 200);
  if (ok == nullptr) return nullptr;
  const json* at = &resolve(*ok);
  for (const char* key : {"content", "text/event-stream", "x-events", event.c_str()}) {
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at;
}

Tally tally() { return {validated_all.load(), validated_outside_send.load()}; }

void count_outside_send(long n) { validated_outside_send += n; }

}  // namespace rapporteur::testing::contract
