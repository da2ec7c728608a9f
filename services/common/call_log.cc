#include "common/call_log.h"

#include <random>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/call_auth.h"
#include "common/log.h"
#include "grpcpp/security/auth_context.h"

namespace gridserve {
namespace {

std::string RandomHex(size_t bytes) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::string raw;
  for (size_t i = 0; i < bytes; ++i) raw.push_back(static_cast<char>(random() & 0xff));
  return absl::BytesToHexString(raw);
}

class CallLogInterceptor : public grpc::experimental::Interceptor {
 public:
  CallLogInterceptor(grpc::experimental::ServerRpcInfo* info, const TokenCodec* codec)
      : info_(info), codec_(codec), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      AddMissingTraceHeaders(methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      LogCall(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  // A call without x-request-id or traceparent gets fresh ones, so this
  // service's log line, its handlers and every call it makes on share them.
  void AddMissingTraceHeaders(std::multimap<grpc::string_ref, grpc::string_ref>* metadata) {
    if (metadata->find(kRequestIdHeader) == metadata->end()) {
      request_id_ = RandomHex(16);
      metadata->emplace(kRequestIdHeader, request_id_);
    }
    if (metadata->find(kTraceparentHeader) == metadata->end()) {
      traceparent_ = absl::StrCat("00-", RandomHex(16), "-", RandomHex(8), "-01");
      metadata->emplace(kTraceparentHeader, traceparent_);
    }
  }

  void LogCall(const grpc::Status& status) {
    grpc::ServerContextBase* context = info_->server_context();
    std::string caller = "anonymous";
    if (codec_ != nullptr) {
      absl::StatusOr<Principal> principal = AuthenticateCall(*context, *codec_);
      if (principal.ok()) caller = principal->subject;
    }
    // A consuming system known by its TLS client certificate sends no token.
    if (caller == "anonymous" && context->auth_context() != nullptr) {
      std::vector<grpc::string_ref> names = context->auth_context()->FindPropertyValues("x509_common_name");
      if (!names.empty()) caller = absl::StrCat("certificate CN=", std::string(names[0].data(), names[0].size()));
    }
    std::string request_id = ClientMetadata(*context, kRequestIdHeader);
    nlohmann::json fields = {
        {"method", info_->method()},
        {"code", absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()))},
        {"latency_ms", absl::ToDoubleMilliseconds(absl::Now() - start_)},
        {"request_id", request_id.empty() ? "-" : request_id},
        {"caller", caller},
        {"peer", context->peer()}};
    if (!status.ok()) fields["error"] = status.error_message();
    Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarning, "call", fields);
  }

  grpc::experimental::ServerRpcInfo* info_;
  const TokenCodec* codec_;
  absl::Time start_;
  std::string request_id_;   // storage for the metadata added above
  std::string traceparent_;
};

class CallLogInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallLogInterceptorFactory(const TokenCodec* codec) : codec_(codec) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallLogInterceptor(info, codec_);
  }

 private:
  const TokenCodec* codec_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeCallLogInterceptorFactory(
    const TokenCodec* codec) {
  return std::make_unique<CallLogInterceptorFactory>(codec);
}

}  // namespace gridserve
