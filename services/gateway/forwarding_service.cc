#include "gateway/forwarding_service.h"

#include <atomic>
#include <mutex>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/call_auth.h"
#include "common/errors.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace gridserve::gateway {
namespace {

bool IsForwardedHeader(const std::string& key) {
  return !key.empty() && key[0] != ':' && !absl::StartsWith(key, "grpc-") && key != "user-agent" &&
         key != "content-type" && key != "te" && key != "host";
}

// A call that is answered by the gateway itself with an error.
class Rejection final : public grpc::ServerGenericBidiReactor {
 public:
  explicit Rejection(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

// One forwarded call: this reactor serves the client; `backend_` is the
// reactor of the call to the backend. Messages flow one at a time in each
// direction. The object deletes itself once both calls are done.
class ForwardedCall final : public grpc::ServerGenericBidiReactor {
 public:
  ForwardedCall(grpc::GenericCallbackServerContext* context, std::shared_ptr<grpc::Channel> channel,
                std::string backend_name, std::string backend_address)
      : context_(context),
        stub_(std::move(channel)),
        backend_name_(std::move(backend_name)),
        backend_address_(std::move(backend_address)),
        backend_(this) {
    backend_context_.set_deadline(context->deadline());
    for (const auto& [key, value] : context->client_metadata()) {
      std::string name(key.data(), key.size());
      if (IsForwardedHeader(name)) backend_context_.AddMetadata(name, std::string(value.data(), value.size()));
    }
    stub_.PrepareBidiStreamingCall(&backend_context_, context->method(), grpc::StubOptions(), &backend_);
    backend_.AddHold();  // released once no more backend operations start outside its reactions
    backend_.StartCall();
    StartRead(&request_);
  }

  // Client -> backend.
  void OnReadDone(bool ok) override {
    std::lock_guard lock(mutex_);
    if (!backend_open_) return;
    if (ok) {
      backend_.StartWrite(&request_);
    } else {
      backend_.StartWritesDone();
    }
  }
  void OnBackendWriteDone(bool ok) {
    std::lock_guard lock(mutex_);
    if (ok && !finished_) StartRead(&request_);
  }

  // Backend -> client.
  void OnBackendInitialMetadata(bool ok) {
    std::lock_guard lock(mutex_);
    if (ok) {
      backend_answered_ = true;
      for (const auto& [key, value] : backend_context_.GetServerInitialMetadata()) {
        std::string name(key.data(), key.size());
        if (IsForwardedHeader(name)) context_->AddInitialMetadata(name, std::string(value.data(), value.size()));
      }
    }
    backend_.StartRead(&response_);
  }
  void OnBackendReadDone(bool ok) {
    std::lock_guard lock(mutex_);
    if (ok && !finished_) {
      write_pending_ = true;
      StartWrite(&response_);
    } else {
      CloseBackend();
    }
  }
  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mutex_);
    write_pending_ = false;
    if (pending_status_) {
      FinishLocked(*pending_status_);
    } else if (ok && backend_open_) {
      backend_.StartRead(&response_);
    } else {
      backend_context_.TryCancel();
      CloseBackend();
    }
  }

  void OnBackendDone(const grpc::Status& status) {
    {
      std::lock_guard lock(mutex_);
      // grpc-* trailers (status, details) are rebuilt by Finish from `status`.
      for (const auto& [key, value] : backend_context_.GetServerTrailingMetadata()) {
        std::string name(key.data(), key.size());
        if (IsForwardedHeader(name)) context_->AddTrailingMetadata(name, std::string(value.data(), value.size()));
      }
      grpc::Status result = status;
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE && !backend_answered_) {
        result = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              absl::StrCat("backend '", backend_name_, "' at ", backend_address_,
                                           " is unavailable (", status.error_message(),
                                           "); retry with backoff, or ask the operator to check that service"));
      }
      if (write_pending_) {
        pending_status_ = result;
      } else {
        FinishLocked(result);
      }
    }
    Release();
  }

  void OnCancel() override { backend_context_.TryCancel(); }
  void OnDone() override { Release(); }

 private:
  class BackendReactor final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit BackendReactor(ForwardedCall* call) : call_(call) {}
    void OnReadInitialMetadataDone(bool ok) override { call_->OnBackendInitialMetadata(ok); }
    void OnReadDone(bool ok) override { call_->OnBackendReadDone(ok); }
    void OnWriteDone(bool ok) override { call_->OnBackendWriteDone(ok); }
    void OnWritesDoneDone(bool) override {}
    void OnDone(const grpc::Status& status) override { call_->OnBackendDone(status); }

   private:
    ForwardedCall* call_;
  };

  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    pending_status_.reset();
    Finish(status);
  }

  // Once the backend has sent its last message (or the client is gone) no
  // further backend operation is started from outside the backend's own
  // reactions, so its hold is released and its OnDone can follow.
  void CloseBackend() {
    if (!backend_open_) return;
    backend_open_ = false;
    backend_.RemoveHold();
  }

  void Release() {
    if (references_.fetch_sub(1) == 1) delete this;
  }

  grpc::GenericCallbackServerContext* context_;
  grpc::GenericStub stub_;
  std::string backend_name_;
  std::string backend_address_;
  grpc::ClientContext backend_context_;
  BackendReactor backend_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::recursive_mutex mutex_;
  bool backend_open_ = true;
  bool backend_answered_ = false;
  bool write_pending_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> pending_status_;
  std::atomic<int> references_{2};  // this reactor's OnDone and the backend's OnDone
};

}  // namespace

absl::StatusOr<std::string> BackendOf(const std::string& method) {
  constexpr absl::string_view kPrefix = "/gridserve.";
  if (absl::StartsWith(method, kPrefix)) {
    size_t end = method.find('.', kPrefix.size());
    if (end != std::string::npos && end > kPrefix.size()) return method.substr(kPrefix.size(), end - kPrefix.size());
  }
  return absl::UnimplementedError(absl::StrCat(
      "the gateway does not serve ", method, "; it forwards gridserve.<service>.v1.* methods (list them with server reflection)"));
}

grpc::ServerGenericBidiReactor* ForwardingService::CreateReactor(grpc::GenericCallbackServerContext* context) {
  absl::StatusOr<std::string> backend = BackendOf(context->method());
  if (!backend.ok()) return new Rejection(ToGrpcStatus(backend.status()));
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = backends_.Get(*backend);
  if (!channel.ok()) {
    return new Rejection(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                      absl::StrCat("no backend '", *backend, "' is configured for ", context->method(),
                                                   "; list the served services with server reflection")));
  }
  absl::StatusOr<Principal> caller = AuthenticateCall(*context, tokens_);
  if (!caller.ok()) return new Rejection(ToGrpcStatus(caller.status()));
  return new ForwardedCall(context, *channel, *backend, backends_.addresses().at(*backend));
}

}  // namespace gridserve::gateway
