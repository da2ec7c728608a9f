#include "gateway/request_fields.h"

#include <memory>
#include <vector>

#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace gridserve::gateway {

std::string RequestField(absl::string_view method, const grpc::ByteBuffer& request, absl::string_view field_path) {
  using google::protobuf::FieldDescriptor;
  if (field_path.empty() || method.size() < 2) return "";
  std::string name(method.substr(1));
  size_t slash = name.find('/');
  if (slash == std::string::npos) return "";
  name[slash] = '.';
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  if (descriptor == nullptr) return "";
  // The compiled-in message type (the gateway links every public proto), so
  // no factory is built per call.
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor->input_type());
  if (prototype == nullptr) return "";
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  std::vector<grpc::Slice> slices;
  if (!request.Dump(&slices).ok()) return "";
  std::string bytes;
  for (const grpc::Slice& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  if (!message->ParseFromString(bytes)) return "";
  const google::protobuf::Message* current = message.get();
  std::vector<std::string> parts = absl::StrSplit(field_path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = current->GetDescriptor()->FindFieldByName(parts[i]);
    if (field == nullptr || field->is_repeated()) return "";
    const google::protobuf::Reflection* reflection = current->GetReflection();
    if (i + 1 == parts.size()) {
      return field->type() == FieldDescriptor::TYPE_STRING ? reflection->GetString(*current, field) : "";
    }
    if (field->type() != FieldDescriptor::TYPE_MESSAGE) return "";
    current = &reflection->GetMessage(*current, field);
  }
  return "";
}

}  // namespace gridserve::gateway
