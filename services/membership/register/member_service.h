#pragma once

#include "common/call_auth.h"
#include "common/token.h"
#include "gridserve/membership/v1/member.grpc.pb.h"

namespace gridserve::membership {

class Members;       // members.h: the register's rules
class MemberImport;  // member_import.h: roster import

// gridserve.membership.v1.MemberService: authenticates the caller and
// translates between protobuf and the register's rules. ImportMembers lives
// in member_import_service.cc.
class MemberService final : public v1::MemberService::Service {
 public:
  MemberService(Members& members, MemberImport& import, const TokenCodec& tokens)
      : members_(members), import_(import), authorize_(tokens, v1::MemberService::service_full_name()) {}

  grpc::Status CreateMember(grpc::ServerContext* context, const v1::CreateMemberRequest* request,
                            v1::CreateMemberResponse* response) override;
  grpc::Status GetMember(grpc::ServerContext* context, const v1::GetMemberRequest* request,
                         v1::GetMemberResponse* response) override;
  grpc::Status ListMembers(grpc::ServerContext* context, const v1::ListMembersRequest* request,
                           v1::ListMembersResponse* response) override;
  grpc::Status UpdateMember(grpc::ServerContext* context, const v1::UpdateMemberRequest* request,
                            v1::UpdateMemberResponse* response) override;
  grpc::Status TransferMember(grpc::ServerContext* context, const v1::TransferMemberRequest* request,
                              v1::TransferMemberResponse* response) override;
  grpc::Status EndMembership(grpc::ServerContext* context, const v1::EndMembershipRequest* request,
                             v1::EndMembershipResponse* response) override;
  grpc::Status ListMemberEvents(grpc::ServerContext* context, const v1::ListMemberEventsRequest* request,
                                v1::ListMemberEventsResponse* response) override;
  grpc::Status ImportMembers(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::ImportMembersResponse, v1::ImportMembersRequest>* stream) override;

 private:
  Members& members_;
  MemberImport& import_;
  const MethodAuthorizer authorize_;
};

}  // namespace gridserve::membership
