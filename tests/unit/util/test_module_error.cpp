// A module's error line: printable whatever the input quoted, cut to the caller's buffer.
#include "util/module_error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using util::module_error;
using util::printable_line;

TEST(ModuleError, ControlCharactersAndBrokenUtf8AreWrittenAsEscapes) {
  EXPECT_EQ(printable_line("a\x1b[2Jb\nc\x7f"), "a\\x1B[2Jb\\x0Ac\\x7F");
  EXPECT_EQ(printable_line("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e");
  EXPECT_EQ(printable_line("x\xa7y"), "x\\xA7y");                         // a lone continuation byte
  EXPECT_EQ(printable_line("\xc3"), "\\xC3");                             // a sequence cut short
  EXPECT_EQ(printable_line("\xc0\xaf"), "\\xC0\\xAF");                    // an overlong '/'
  EXPECT_EQ(printable_line("\xed\xa0\x80"), "\\xED\\xA0\\x80");           // a surrogate
  EXPECT_EQ(printable_line("\xf4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST(ModuleError, TheLineIsCutToTheBufferAtACharactersBoundary) {
  char error[8];
  EXPECT_EQ(module_error("ab\xe2\x82\xac\xe2\x82\xac", error, sizeof error), 1);
  EXPECT_EQ(std::string(error), "ab\xe2\x82\xac");  // the second euro sign does not fit whole
  EXPECT_EQ(module_error("\x1b", error, sizeof error), 1);
  EXPECT_EQ(std::string(error), "\\x1B");
  char one[1] = {'x'};
  module_error("anything", one, sizeof one);
  EXPECT_EQ(one[0], '\0');
}

}  // namespace
