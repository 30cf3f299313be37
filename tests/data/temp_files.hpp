// Helpers for the tests of typenet/data/: a temporary folder to write small data files
// into, raw or gzip-compressed (tests/support/temp_dir.hpp), and a check that a reader's
// error names its file and says what is wrong.
#pragma once

#include <boost/test/unit_test.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

#include <typenet/data/data_error.hpp>

#include "../support/temp_dir.hpp"

using typenet::testing::bytes;
using typenet::testing::read_all;
using typenet::testing::temp_dir;

// Runs `read`, which must throw `typenet::data::data_error` with every one of `parts` in
// its message (the file's name and the problem).
template <class Read>
void check_error(Read&& read, std::initializer_list<std::string_view> parts) {
    std::string message;
    try {
        read();
    } catch (const typenet::data::data_error& e) {
        message = e.what();
    }
    BOOST_REQUIRE_MESSAGE(!message.empty(), "no data_error thrown");
    BOOST_TEST_MESSAGE(message);
    for (std::string_view part : parts)
        BOOST_CHECK_MESSAGE(message.find(part) != std::string::npos,
                            "the message lacks \"" << part << "\": " << message);
}
