// minimal_proxy: the least a gRPC proxy can do, as a floor for gateway_bench.
// Forwards every unary call as raw bytes to one backend with the same gRPC
// machinery the gateway uses (callback API, one GenericStub::UnaryCall per
// call), and nothing else: no credentials, no rules, no limits, no logs.
// Never deployed.
//   minimal_proxy --listen=127.0.0.1:0 --backend=127.0.0.1:50061 --port_file=FILE
#include <chrono>
#include <cstdio>
#include <fstream>

#include "common/flags.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace {

bool Forwarded(const std::string& key) {
  return !key.empty() && key[0] != ':' && key.rfind("grpc-", 0) != 0 && key != "user-agent" &&
         key != "content-type" && key != "te";
}

class MinimalProxy final : public grpc::CallbackGenericService {
 public:
  explicit MinimalProxy(grpc::GenericStub& stub) : stub_(stub) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
    return new Call(context, stub_);
  }

 private:
  class Call final : public grpc::ServerGenericBidiReactor {
   public:
    Call(grpc::GenericCallbackServerContext* context, grpc::GenericStub& stub) : context_(context), stub_(stub) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
        return;
      }
      for (const auto& [key, value] : context_->client_metadata()) {
        std::string name(key.data(), key.size());
        if (Forwarded(name)) backend_.AddMetadata(name, std::string(value.data(), value.size()));
      }
      backend_.set_deadline(context_->deadline());
      stub_.UnaryCall(&backend_, context_->method(), grpc::StubOptions(), &request_, &response_,
                      [this](grpc::Status status) {
                        if (status.ok()) {
                          StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
                        } else {
                          Finish(status);
                        }
                      });
    }
    void OnDone() override { delete this; }

   private:
    grpc::GenericCallbackServerContext* context_;
    grpc::GenericStub& stub_;
    grpc::ClientContext backend_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
  };
  grpc::GenericStub& stub_;
};

}  // namespace

int main(int argc, char** argv) {
  gridserve::Flags flags;
  flags.Define("listen", "127.0.0.1:0", "host:port").Define("backend", "", "host:port").Define("port_file", "", "file");
  if (!flags.Parse(argc, argv, [](const std::string&) { return std::nullopt; }).ok() || flags.Get("backend").empty()) {
    std::fprintf(stderr, "usage: minimal_proxy --listen=HOST:PORT --backend=HOST:PORT --port_file=FILE\n");
    return 2;
  }
  grpc::GenericStub stub(grpc::CreateChannel(flags.Get("backend"), grpc::InsecureChannelCredentials()));
  MinimalProxy proxy(stub);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(flags.Get("listen"), grpc::InsecureServerCredentials(), &port);
  builder.RegisterCallbackGenericService(&proxy);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) return 1;
  std::ofstream(flags.Get("port_file")) << "127.0.0.1:" << port << "\n";
  server->Wait();
}
