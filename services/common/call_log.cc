#include "common/call_log.h"

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "common/call_auth.h"
#include "common/log.h"

namespace gridserve {
namespace {

class CallLogInterceptor : public grpc::experimental::Interceptor {
 public:
  CallLogInterceptor(grpc::experimental::ServerRpcInfo* info, const TokenCodec* codec)
      : info_(info), codec_(codec), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      LogCall(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void LogCall(const grpc::Status& status) {
    grpc::ServerContextBase* context = info_->server_context();
    std::string caller = "anonymous";
    if (codec_ != nullptr) {
      absl::StatusOr<Principal> principal = AuthenticateCall(*context, *codec_);
      if (principal.ok()) caller = principal->subject;
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
