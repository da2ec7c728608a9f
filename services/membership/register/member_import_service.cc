// MemberService::ImportMembers: the streaming side of the roster import. The
// rules live in MemberImport; this file only speaks the stream protocol
// (header first, then chunks) and enforces the transfer limits.
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/call_auth.h"
#include "common/errors.h"
#include "common/stream_watchdog.h"
#include "membership/register/member_import.h"
#include "membership/register/member_service.h"

namespace gridserve::membership {
namespace {

constexpr size_t kProgressEveryBytes = 1u << 20;

using ImportStream = grpc::ServerReaderWriter<v1::ImportMembersResponse, v1::ImportMembersRequest>;

void SendProgress(ImportStream& stream, const v1::ImportProgress& progress) {
  v1::ImportMembersResponse response;
  *response.mutable_progress() = progress;
  // A client that went away is noticed when the call ends; progress is best effort.
  stream.Write(response);
}

}  // namespace

grpc::Status MemberService::ImportMembers(grpc::ServerContext* context, ImportStream* stream) {
  absl::StatusOr<AuthorizedCall> call = authorize_(*context, "ImportMembers");
  if (!call.ok()) return ToGrpcStatus(call.status());
  // The proto allows an import 5 minutes in all and 60 s of silence from the
  // client while the roster arrives; past either the stream ends with
  // DEADLINE_EXCEEDED.
  const absl::Time deadline = call->deadline;
  std::optional<StreamWatchdog> watchdog;
  watchdog.emplace(*context, deadline, call->rule->idle_timeout);

  v1::ImportMembersRequest request;
  if (!stream->Read(&request)) {
    if (absl::Status ended = watchdog->Ended(); !ended.ok()) return ToGrpcStatus(ended);
    return ToGrpcStatus(InvalidField("header", "the first message of ImportMembers must be the ImportHeader"));
  }
  watchdog->Touch();
  if (!request.has_header()) {
    return ToGrpcStatus(InvalidField("header", "the first message of ImportMembers must be the ImportHeader"));
  }
  const v1::ImportHeader header = request.header();
  if (absl::Status status = import_.CheckHeader(call->caller, header); !status.ok()) return ToGrpcStatus(status);

  std::string file;
  size_t next_progress = kProgressEveryBytes;
  while (stream->Read(&request)) {
    watchdog->Touch();
    if (request.has_header()) {
      return ToGrpcStatus(InvalidField("header", "send the ImportHeader once, as the first message"));
    }
    if (request.chunk().size() > kMaxImportChunkBytes) {
      return ToGrpcStatus(InvalidField(
          "chunk", absl::StrCat("a chunk may hold at most ", kMaxImportChunkBytes >> 20, " MiB; send smaller pieces")));
    }
    if (file.size() + request.chunk().size() > kMaxImportFileBytes) {
      return ToGrpcStatus(absl::ResourceExhaustedError(absl::StrCat(
          "the roster is larger than ", kMaxImportFileBytes >> 20, " MiB; split it into several files")));
    }
    file += request.chunk();
    if (file.size() >= next_progress) {
      v1::ImportProgress progress;
      progress.set_phase(v1::IMPORT_PHASE_RECEIVING);
      progress.set_bytes_received(static_cast<int64_t>(file.size()));
      SendProgress(*stream, progress);
      next_progress = file.size() + kProgressEveryBytes;
    }
  }
  if (absl::Status ended = watchdog->Ended(); !ended.ok()) return ToGrpcStatus(ended);
  watchdog.reset();  // the client has sent everything; validating and writing are bounded by `deadline`
  if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the import");

  absl::StatusOr<v1::ImportReport> report = import_.Import(
      call->caller, header, file, [&](const v1::ImportProgress& progress) { SendProgress(*stream, progress); }, deadline);
  if (!report.ok()) return ToGrpcStatus(report.status());
  v1::ImportMembersResponse response;
  *response.mutable_report() = std::move(*report);
  stream->Write(response);
  return grpc::Status::OK;
}

}  // namespace gridserve::membership
