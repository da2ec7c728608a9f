#include "gateway/forwarding_service.h"

#include <atomic>
#include <mutex>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/call_auth.h"
#include "common/errors.h"
#include "gateway/request_fields.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace gridserve::gateway {
namespace {

bool IsForwardedHeader(const std::string& key) {
  return !key.empty() && key[0] != ':' && !absl::StartsWith(key, "grpc-") && key != "user-agent" &&
         key != "content-type" && key != "te" && key != "host" && key != kClientAddressHeader;
}

// gRPC hands over an empty message (all fields default) as a ByteBuffer
// without slices, which would be written as no message at all.
void KeepEmptyMessage(grpc::ByteBuffer& buffer) {
  if (!buffer.Valid()) {
    grpc::Slice empty;
    buffer = grpc::ByteBuffer(&empty, 1);
  }
}

// A call that is answered by the gateway itself with an error.
class Rejection final : public grpc::ServerGenericBidiReactor {
 public:
  explicit Rejection(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

// What every forwarded call starts from.
struct Route {
  grpc::GenericCallbackServerContext* context;
  std::shared_ptr<grpc::Channel> channel;
  std::string backend_name;
  std::string backend_address;
  GuardedCall call;
  CallGuard* guard;  // nullptr, or asked about the calls whose rule audits them
  std::string forwarded_token;  // set when the caller is a consuming system known by its client certificate
};

// The backend call's context: the client's deadline capped at the method's
// declared timeout (GuardedCall::deadline), the client's metadata, and the
// token of a certificate caller.
void PrepareBackendContext(const Route& route, grpc::ClientContext& backend) {
  backend.set_deadline(absl::ToChronoTime(route.call.deadline));
  for (const auto& [key, value] : route.context->client_metadata()) {
    std::string name(key.data(), key.size());
    if (!route.forwarded_token.empty() && name == kAuthorizationHeader) continue;
    if (IsForwardedHeader(name)) backend.AddMetadata(name, std::string(value.data(), value.size()));
  }
  if (!route.forwarded_token.empty()) backend.AddMetadata(kAuthorizationHeader, "Bearer " + route.forwarded_token);
  backend.AddMetadata(kClientAddressHeader, route.context->peer());
}

// The backend's metadata that the client may see passed on to it (the
// grpc-* trailers, status and details, are rebuilt by Finish from the status).
void PassInitialMetadata(const grpc::ClientContext& backend, grpc::GenericCallbackServerContext& client) {
  for (const auto& [key, value] : backend.GetServerInitialMetadata()) {
    std::string name(key.data(), key.size());
    if (IsForwardedHeader(name)) client.AddInitialMetadata(name, std::string(value.data(), value.size()));
  }
}
void PassTrailingMetadata(const grpc::ClientContext& backend, grpc::GenericCallbackServerContext& client) {
  for (const auto& [key, value] : backend.GetServerTrailingMetadata()) {
    std::string name(key.data(), key.size());
    if (IsForwardedHeader(name)) client.AddTrailingMetadata(name, std::string(value.data(), value.size()));
  }
}

// UNAVAILABLE before the backend answered anything names the backend.
grpc::Status Explained(const Route& route, const grpc::Status& status, bool answered) {
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE || answered) return status;
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      absl::StrCat("backend '", route.backend_name, "' at ", route.backend_address, " is unavailable (",
                                   status.error_message(),
                                   "); retry with backoff, or ask the operator to check that service"));
}

bool Guarded(const Route& route) { return route.guard != nullptr && route.call.rule->audit != AuditKind::kNone; }

// A unary call: read the request, (be admitted,) one callback-API unary call
// to the backend, then the response and status in one write. Three
// reactions in all, where the streaming path needs about ten.
class ForwardedUnaryCall final : public grpc::ServerGenericBidiReactor {
 public:
  explicit ForwardedUnaryCall(Route route) : route_(std::move(route)), stub_(route_.channel) {
    PrepareBackendContext(route_, backend_context_);
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a unary call needs its request message"));
      return;
    }
    KeepEmptyMessage(request_);
    if (!Guarded(route_)) {
      Forward();
      return;
    }
    route_.call.resource = RequestField(route_.call.method, request_, route_.call.rule->resource_field);
    route_.guard->Admit(route_.call, [this](absl::Status admitted) {
      if (admitted.ok()) {
        Forward();
      } else {
        Finish(ToGrpcStatus(admitted));
      }
    });
  }
  void OnCancel() override { backend_context_.TryCancel(); }
  void OnDone() override { delete this; }

 private:
  void Forward() {
    stub_.UnaryCall(&backend_context_, route_.context->method(), grpc::StubOptions(), &request_, &response_,
                    [this](grpc::Status status) { OnBackendDone(status); });
  }

  void OnBackendDone(const grpc::Status& status) {
    PassInitialMetadata(backend_context_, *route_.context);
    PassTrailingMetadata(backend_context_, *route_.context);
    grpc::Status result = Explained(route_, status, !backend_context_.GetServerInitialMetadata().empty());
    if (Guarded(route_)) route_.guard->Finished(route_.call, result);
    if (result.ok()) {
      KeepEmptyMessage(response_);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), result);
    } else {
      Finish(result);
    }
  }

  Route route_;
  grpc::GenericStub stub_;
  grpc::ClientContext backend_context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

// A streaming call: this reactor serves the client; `backend_` is the
// reactor of the call to the backend, started once the call is admitted.
// Messages flow one at a time in each direction. The object deletes itself
// once both calls are done.
class ForwardedStream final : public grpc::ServerGenericBidiReactor {
 public:
  explicit ForwardedStream(Route route) : route_(std::move(route)), stub_(route_.channel), backend_(this) {
    PrepareBackendContext(route_, backend_context_);
    StartRead(&request_);
  }

  // Client -> backend. The first event (a message or the half-close) admits
  // the call and starts the backend call.
  void OnReadDone(bool ok) override {
    std::lock_guard lock(mutex_);
    if (ok) KeepEmptyMessage(request_);
    if (!backend_started_) {
      backend_started_ = true;
      if (!Guarded(route_)) {
        StartBackend(ok);
        return;
      }
      if (ok) route_.call.resource = RequestField(route_.call.method, request_, route_.call.rule->resource_field);
      route_.guard->Admit(route_.call, [this, ok](absl::Status admitted) {
        std::lock_guard lock(mutex_);
        if (admitted.ok() && !finished_) {
          StartBackend(ok);
        } else {
          FinishLocked(admitted.ok() ? grpc::Status::CANCELLED : ToGrpcStatus(admitted));
          backend_open_ = false;
          Release();  // the backend call never starts, so it never reports done
        }
      });
      return;
    }
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
      PassInitialMetadata(backend_context_, *route_.context);
    }
    backend_.StartRead(&response_);
  }
  void OnBackendReadDone(bool ok) {
    std::lock_guard lock(mutex_);
    if (ok && !finished_) {
      KeepEmptyMessage(response_);
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
    grpc::Status result;
    {
      std::lock_guard lock(mutex_);
      PassTrailingMetadata(backend_context_, *route_.context);
      result = Explained(route_, status, backend_answered_);
    }
    if (Guarded(route_)) route_.guard->Finished(route_.call, result);
    Complete(result);
  }

  void OnCancel() override { backend_context_.TryCancel(); }
  void OnDone() override { Release(); }

 private:
  class BackendReactor final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit BackendReactor(ForwardedStream* call) : call_(call) {}
    void OnReadInitialMetadataDone(bool ok) override { call_->OnBackendInitialMetadata(ok); }
    void OnReadDone(bool ok) override { call_->OnBackendReadDone(ok); }
    void OnWriteDone(bool ok) override { call_->OnBackendWriteDone(ok); }
    void OnWritesDoneDone(bool) override {}
    void OnDone(const grpc::Status& status) override { call_->OnBackendDone(status); }

   private:
    ForwardedStream* call_;
  };

  // With `have_message`, request_ holds the client's first message.
  void StartBackend(bool have_message) {
    stub_.PrepareBidiStreamingCall(&backend_context_, route_.context->method(), grpc::StubOptions(), &backend_);
    backend_.AddHold();  // released once no more backend operations start outside its reactions
    backend_.StartCall();
    if (have_message) {
      backend_.StartWrite(&request_);
    } else {
      backend_.StartWritesDone();
    }
  }

  // The backend call is over: tell the client, then drop the backend's reference.
  void Complete(const grpc::Status& status) {
    {
      std::lock_guard lock(mutex_);
      if (write_pending_) {
        pending_status_ = status;
      } else {
        FinishLocked(status);
      }
    }
    Release();
  }

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

  Route route_;
  grpc::GenericStub stub_;
  grpc::ClientContext backend_context_;
  BackendReactor backend_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::recursive_mutex mutex_;  // recursive: an admission may be decided while OnReadDone holds it
  bool backend_started_ = false;
  bool backend_open_ = true;
  bool backend_answered_ = false;
  bool write_pending_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> pending_status_;
  std::atomic<int> references_{2};  // this reactor's OnDone and the backend's end
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

absl::StatusOr<Principal> ForwardingService::Authenticate(grpc::GenericCallbackServerContext& context,
                                                          std::string* forwarded_token) const {
  if (admission_.client_certificates != nullptr && ClientMetadata(context, kAuthorizationHeader).empty()) {
    std::shared_ptr<const grpc::AuthContext> auth_context = context.auth_context();
    std::optional<std::string> fingerprint =
        auth_context == nullptr ? std::nullopt : PeerCertificateFingerprint(*auth_context);
    if (fingerprint) {
      const RegisteredClient* client = admission_.client_certificates->Find(*fingerprint);
      if (client == nullptr) {
        return absl::UnauthenticatedError(absl::StrCat("client certificate ", *fingerprint,
                                                       " is not registered; ask the district operator to register it"));
      }
      Principal principal = ClientPrincipal(*client, absl::ToUnixSeconds(absl::Now() + admission_.client_token_ttl));
      *forwarded_token = tokens_.Sign(principal);
      return principal;
    }
  }
  return AuthenticateCall(context, tokens_);
}

grpc::ServerGenericBidiReactor* ForwardingService::CreateReactor(grpc::GenericCallbackServerContext* context) {
  const std::string& method = context->method();
  if (admission_.rate_limits != nullptr) {
    if (absl::Status limited = admission_.rate_limits->CheckAddress(context->peer()); !limited.ok()) {
      return new Rejection(ToGrpcStatus(limited));
    }
  }
  absl::StatusOr<std::string> backend = BackendOf(method);
  if (!backend.ok()) return new Rejection(ToGrpcStatus(backend.status()));
  const MethodRule* rule = rules_(method);
  if (rule == nullptr) {
    return new Rejection(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                      absl::StrCat(method, " is not served here: no public proto declares it (with "
                                                           "its access rule); list the served methods with server "
                                                           "reflection")));
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = backends_.Get(*backend);
  if (!channel.ok()) {
    return new Rejection(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                      absl::StrCat("no backend '", *backend, "' is configured for ", method,
                                                   "; list the served services with server reflection")));
  }
  GuardedCall call{.method = method,
                   .rule = rule,
                   .client_address = context->peer(),
                   .request_id = ClientMetadata(*context, kRequestIdHeader),
                   .deadline = std::min(absl::FromChrono(context->deadline()), absl::Now() + rule->timeout)};
  std::string forwarded_token;  // set when the caller is a consuming system known by its client certificate
  if (rule->permission != Permission::kPublic) {
    absl::StatusOr<Principal> caller = Authenticate(*context, &forwarded_token);
    if (!caller.ok()) return new Rejection(ToGrpcStatus(caller.status()));
    if (admission_.rate_limits != nullptr) {
      if (absl::Status limited = admission_.rate_limits->CheckPrincipal(caller->subject); !limited.ok()) {
        return new Rejection(ToGrpcStatus(limited));
      }
    }
    if (absl::Status allowed = RequirePermission(*caller, rule->permission, method); !allowed.ok()) {
      return new Rejection(ToGrpcStatus(allowed));
    }
    call.principal = *std::move(caller);
  }
  Route route{.context = context,
              .channel = *std::move(channel),
              .backend_name = *backend,
              .backend_address = backends_.addresses().at(*backend),
              .call = std::move(call),
              .guard = guard_,
              .forwarded_token = std::move(forwarded_token)};
  if (!rule->client_streaming && !rule->server_streaming) return new ForwardedUnaryCall(std::move(route));
  return new ForwardedStream(std::move(route));
}

}  // namespace gridserve::gateway
