#include <catch2/catch.hpp>
#include "text.h"
TEST_CASE("chinese numerals") { CHECK(gazette::parse_chinese_numeral("二十三") == 23); }
