#include "gateway/reflection_service.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"

namespace gridserve::gateway {
namespace {

namespace reflection = grpc::reflection::v1alpha;
using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;

// Adds `file` and its transitive dependencies, each once.
void AddFileWithDependencies(const FileDescriptor* file, std::set<std::string>& seen,
                             reflection::FileDescriptorResponse* response) {
  if (!seen.insert(file->name()).second) return;
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  response->add_file_descriptor_proto(proto.SerializeAsString());
  for (int i = 0; i < file->dependency_count(); ++i) AddFileWithDependencies(file->dependency(i), seen, response);
}

void SetError(reflection::ServerReflectionResponse* response, grpc::StatusCode code, const std::string& message) {
  response->mutable_error_response()->set_error_code(code);
  response->mutable_error_response()->set_error_message(message);
}

}  // namespace

reflection::ServerReflectionResponse ReflectionService::Answer(const reflection::ServerReflectionRequest& request) const {
  reflection::ServerReflectionResponse response;
  response.set_valid_host(request.host());
  *response.mutable_original_request() = request;
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  std::set<std::string> seen;
  switch (request.message_request_case()) {
    case reflection::ServerReflectionRequest::kListServices:
      for (const std::string& service : services_) {
        response.mutable_list_services_response()->add_service()->set_name(service);
      }
      break;
    case reflection::ServerReflectionRequest::kFileByFilename:
      if (const FileDescriptor* file = pool->FindFileByName(request.file_by_filename())) {
        AddFileWithDependencies(file, seen, response.mutable_file_descriptor_response());
      } else {
        SetError(&response, grpc::StatusCode::NOT_FOUND, absl::StrCat("file not found: ", request.file_by_filename()));
      }
      break;
    case reflection::ServerReflectionRequest::kFileContainingSymbol:
      if (const FileDescriptor* file = pool->FindFileContainingSymbol(request.file_containing_symbol())) {
        AddFileWithDependencies(file, seen, response.mutable_file_descriptor_response());
      } else {
        SetError(&response, grpc::StatusCode::NOT_FOUND, absl::StrCat("symbol not found: ", request.file_containing_symbol()));
      }
      break;
    case reflection::ServerReflectionRequest::kFileContainingExtension: {
      const auto& extension = request.file_containing_extension();
      const google::protobuf::Descriptor* type = pool->FindMessageTypeByName(extension.containing_type());
      const google::protobuf::FieldDescriptor* field =
          type == nullptr ? nullptr : pool->FindExtensionByNumber(type, extension.extension_number());
      if (field != nullptr) {
        AddFileWithDependencies(field->file(), seen, response.mutable_file_descriptor_response());
      } else {
        SetError(&response, grpc::StatusCode::NOT_FOUND, "extension not found");
      }
      break;
    }
    case reflection::ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const google::protobuf::Descriptor* type = pool->FindMessageTypeByName(request.all_extension_numbers_of_type());
      if (type == nullptr) {
        SetError(&response, grpc::StatusCode::NOT_FOUND, "type not found");
        break;
      }
      std::vector<const google::protobuf::FieldDescriptor*> extensions;
      pool->FindAllExtensions(type, &extensions);
      auto* numbers = response.mutable_all_extension_numbers_response();
      numbers->set_base_type_name(type->full_name());
      for (const auto* extension : extensions) numbers->add_extension_number(extension->number());
      break;
    }
    default:
      SetError(&response, grpc::StatusCode::INVALID_ARGUMENT, "set one of the message_request fields");
  }
  return response;
}

grpc::Status ReflectionService::ServerReflectionInfo(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<reflection::ServerReflectionResponse, reflection::ServerReflectionRequest>* stream) {
  reflection::ServerReflectionRequest request;
  while (stream->Read(&request)) {
    if (!stream->Write(Answer(request))) break;
  }
  return grpc::Status::OK;
}

}  // namespace gridserve::gateway
