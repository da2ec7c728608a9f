#include "common/method_rules.h"

#include <map>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"
#include "gridserve/api/v1/access.pb.h"

namespace gridserve {
namespace {

namespace api = ::gridserve::api::v1;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

std::optional<Permission> PermissionOf(api::Permission permission) {
  switch (permission) {
    case api::PERMISSION_PUBLIC: return Permission::kPublic;
    case api::PERMISSION_SELF: return Permission::kSelf;
    case api::PERMISSION_ORG_READ: return Permission::kOrgRead;
    case api::PERMISSION_ORG_WRITE: return Permission::kOrgWrite;
    case api::PERMISSION_POLICY_READ: return Permission::kPolicyRead;
    case api::PERMISSION_POLICY_WRITE: return Permission::kPolicyWrite;
    case api::PERMISSION_MEMBER_READ: return Permission::kMemberRead;
    case api::PERMISSION_MEMBER_WRITE: return Permission::kMemberWrite;
    case api::PERMISSION_PLEDGE_REPORT: return Permission::kPledgeReport;
    case api::PERMISSION_PII_READ: return Permission::kPiiRead;
    case api::PERMISSION_RATING_WRITE: return Permission::kRatingWrite;
    case api::PERMISSION_ACCOUNT_READ: return Permission::kAccountRead;
    case api::PERMISSION_ACCOUNT_WRITE: return Permission::kAccountWrite;
    case api::PERMISSION_AUDIT_READ: return Permission::kAuditRead;
    default: return std::nullopt;
  }
}

std::optional<AuditKind> AuditKindOf(api::AuditKind kind) {
  switch (kind) {
    case api::AUDIT_KIND_NONE: return AuditKind::kNone;
    case api::AUDIT_KIND_WRITE: return AuditKind::kWrite;
    case api::AUDIT_KIND_PERSONAL_DATA_READ: return AuditKind::kPersonalDataRead;
    case api::AUDIT_KIND_LOGIN: return AuditKind::kLogin;
    default: return std::nullopt;
  }
}

// "" when `path` names a (non-repeated) string field of `message`, through
// singular message fields; else what is wrong.
std::string ResourceFieldProblem(const Descriptor* message, const std::string& path) {
  const Descriptor* current = message;
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = current->FindFieldByName(parts[i]);
    if (field == nullptr) return absl::StrCat(current->full_name(), " has no field ", parts[i]);
    if (field->is_repeated()) return absl::StrCat(field->full_name(), " is repeated");
    if (i + 1 == parts.size()) {
      if (field->type() != FieldDescriptor::TYPE_STRING) return absl::StrCat(field->full_name(), " is not a string");
      return "";
    }
    if (field->type() != FieldDescriptor::TYPE_MESSAGE) return absl::StrCat(field->full_name(), " is not a message");
    current = field->message_type();
  }
  return "";
}

struct Registry {
  std::map<std::string, MethodRule, std::less<>> rules;
  std::vector<std::string> problems;
};

void AddMethod(const MethodDescriptor& method, Registry& registry) {
  const std::string name = absl::StrCat("/", method.service()->full_name(), "/", method.name());
  if (!method.options().HasExtension(api::access)) {
    registry.problems.push_back(absl::StrCat(name, " declares no (gridserve.api.v1.access) option"));
    return;
  }
  const api::AccessRule& declared = method.options().GetExtension(api::access);
  std::optional<Permission> permission = PermissionOf(declared.permission());
  std::optional<AuditKind> audit = AuditKindOf(declared.audit());
  std::vector<std::string> problems;
  if (!permission) problems.push_back("declares no permission");
  if (!audit) problems.push_back("declares no audit kind (AUDIT_KIND_NONE if it is not audited)");
  if (!declared.resource_field().empty()) {
    if (std::string problem = ResourceFieldProblem(method.input_type(), declared.resource_field()); !problem.empty()) {
      problems.push_back(absl::StrCat("resource_field \"", declared.resource_field(), "\": ", problem));
    }
  }
  if (declared.timeout_seconds() < 0 || declared.idle_timeout_seconds() < 0) problems.push_back("has a negative timeout");
  if (!problems.empty()) {
    for (const std::string& problem : problems) registry.problems.push_back(absl::StrCat(name, " ", problem));
    return;
  }
  MethodRule rule{.permission = *permission,
                  .audit = *audit,
                  .resource_field = declared.resource_field(),
                  .client_streaming = method.client_streaming(),
                  .server_streaming = method.server_streaming()};
  if (declared.timeout_seconds() > 0) rule.timeout = absl::Seconds(declared.timeout_seconds());
  if (declared.idle_timeout_seconds() > 0) rule.idle_timeout = absl::Seconds(declared.idle_timeout_seconds());
  registry.rules.emplace(name, std::move(rule));
}

// Built once: the generated pool does not change after static initialisation.
Registry& Rules() {
  static Registry* registry = [] {
    auto* built = new Registry;
    for (const char* method : {"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
                               "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"}) {
      built->rules.emplace(method, MethodRule{.timeout = absl::Hours(24 * 365)});
    }
    std::vector<std::string> files;
    google::protobuf::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
    const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
    for (const std::string& name : files) {
      if (!absl::StartsWith(name, "gridserve/")) continue;
      const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
      if (file == nullptr) continue;
      for (int s = 0; s < file->service_count(); ++s) {
        for (int m = 0; m < file->service(s)->method_count(); ++m) AddMethod(*file->service(s)->method(m), *built);
      }
    }
    return built;
  }();
  return *registry;
}

}  // namespace

const MethodRule* FindMethodRule(absl::string_view method) {
  const auto& rules = Rules().rules;
  auto it = rules.find(method);
  return it == rules.end() ? nullptr : &it->second;
}

void LimitDeclaredTimeouts(absl::Duration max_call, absl::Duration max_idle) {
  for (auto& [method, rule] : Rules().rules) {
    if (max_call > absl::ZeroDuration()) rule.timeout = std::min(rule.timeout, max_call);
    if (max_idle > absl::ZeroDuration()) rule.idle_timeout = std::min(rule.idle_timeout, max_idle);
  }
}

std::vector<std::string> MethodsWithRules() {
  std::vector<std::string> methods;
  for (const auto& [method, rule] : Rules().rules) methods.push_back(method);
  return methods;
}

std::vector<std::string> MethodRuleProblems() { return Rules().problems; }

}  // namespace gridserve
