#include "tools/gridctl/output.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::gridctl {
namespace {

using ::testing::HasSubstr;

TEST(DisplayWidthTest, ChineseCountsTwoColumns) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("张三"), 4);
  EXPECT_EQ(DisplayWidth("黔江区 A"), 8);
  EXPECT_EQ(DisplayWidth("１"), 2);  // full-width digit
  EXPECT_EQ(DisplayWidth("é"), 1);
}

TEST(TableTest, ColumnsLineUpWithChineseCells) {
  Table table({"LOGIN", "NAME", "ORG"});
  table.AddRow({"zhangsan", "张三", "500114101000"});
  table.AddRow({"li", "欧阳修文", "500114"});
  EXPECT_EQ(table.Render(),
            "LOGIN     NAME      ORG\n"
            "zhangsan  张三      500114101000\n"
            "li        欧阳修文  500114\n");
}

TEST(KeyValuesTest, AlignsValues) {
  EXPECT_EQ(KeyValues({{"subject", "users/1"}, {"token expires", "-"}}),
            "subject:        users/1\n"
            "token expires:  -\n");
}

TEST(OutputTest, EnumNamesAsPeopleTypeThem) {
  EXPECT_EQ(RoleName(v1::ROLE_VILLAGE_SECRETARY), "VILLAGE_SECRETARY");
  EXPECT_EQ(StatusName(v1::USER_STATUS_DISABLED), "disabled");
  google::protobuf::RepeatedPtrField<v1::RoleBinding> bindings;
  auto* binding = bindings.Add();
  binding->set_role(v1::ROLE_TOWN_ADMIN);
  binding->set_org_scope("500114101000");
  EXPECT_EQ(BindingsText(bindings), "TOWN_ADMIN@500114101000");
  EXPECT_EQ(BindingsText({}), "-");
}

TEST(OutputTest, JsonIsProtobufJson) {
  v1::User user;
  user.set_login_name("zhangsan");
  user.set_display_name("张三");
  user.set_status(v1::USER_STATUS_ACTIVE);
  std::string json = ToJson(user);
  EXPECT_THAT(json, HasSubstr("\"loginName\": \"zhangsan\""));
  EXPECT_THAT(json, HasSubstr("\"displayName\": \"张三\""));
  EXPECT_THAT(json, HasSubstr("\"status\": \"USER_STATUS_ACTIVE\""));
  EXPECT_TRUE(json.ends_with("\n"));
}

TEST(OutputTest, UnsetTimestampIsADash) { EXPECT_EQ(FormatTimestamp({}), "-"); }

}  // namespace
}  // namespace gridserve::gridctl
