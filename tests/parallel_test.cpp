// Tests typenet/detail/parallel.hpp: how share_rows hands the pieces of a layer's rows to
// threads. Each piece is recorded with the thread that ran it, in the order it ran there;
// pieces that wait on each other make the order of interest certain.
#define BOOST_TEST_MODULE parallel
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <typenet/detail/parallel.hpp>

namespace detail = typenet::detail;

namespace {

constexpr std::size_t big = detail::min_flops_to_split;

struct piece {
    long first, last;
    bool operator==(const piece&) const = default;
};
std::ostream& operator<<(std::ostream& os, const piece& p) { return os << '[' << p.first << ", " << p.last << ')'; }

// What share_rows did: the pieces each part ran, in order, and how often it started.
struct record {
    std::vector<std::vector<piece>> pieces;
    std::vector<int> starts;
    explicit record(std::size_t parts) : pieces(parts), starts(parts) {
        for (auto& p : pieces) p.reserve(64);
    }
    // Every row of [0, rows) once, in pieces of `grain`.
    void check_covers(long rows, long grain) const {
        std::vector<int> seen(std::size_t(rows), 0);
        for (const auto& part : pieces)
            for (const piece& p : part) {
                BOOST_TEST(p.first % grain == 0);
                BOOST_TEST(p.last == std::min(rows, p.first + grain));
                for (long r = p.first; r < p.last; ++r) ++seen[std::size_t(r)];
            }
        BOOST_TEST(seen == std::vector<int>(std::size_t(rows), 1), boost::test_tools::per_element());
    }
};

// Waits, at most a few seconds, for `ready`: a thread that never comes fails the test
// instead of hanging it.
template <class Ready>
bool wait_for(Ready ready) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!ready())
        if (std::chrono::steady_clock::now() > give_up) return false;
    return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_thread_takes_the_pieces_in_order_or_in_reverse) {
    for (bool backward : {false, true}) {
        record r(1);
        detail::share_rows(
            10, 4, big, backward, [&](std::size_t part) { ++r.starts[part]; },
            [&](long first, long last, std::size_t part) { r.pieces[part].push_back({first, last}); });
        const std::vector<piece> forward{{0, 4}, {4, 8}, {8, 10}}, reverse{{8, 10}, {4, 8}, {0, 4}};
        BOOST_TEST(r.pieces[0] == (backward ? reverse : forward), boost::test_tools::per_element());
        BOOST_TEST(r.starts[0] == 1);
    }
}

BOOST_AUTO_TEST_CASE(a_small_layer_runs_on_the_callers_thread) {
    detail::thread_pool pool(2);
    detail::layer_pool_scope<float> scope(&pool, nullptr);
    record r(2);
    detail::share_rows(
        6, 2, big - 1, false, [&](std::size_t part) { ++r.starts[part]; },
        [&](long first, long last, std::size_t part) { r.pieces[part].push_back({first, last}); });
    BOOST_TEST(r.pieces[0] == (std::vector<piece>{{0, 2}, {2, 4}, {4, 6}}), boost::test_tools::per_element());
    BOOST_TEST(r.pieces[1].empty());
    BOOST_TEST(r.starts == (std::vector<int>{1, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(each_thread_starts_once_and_takes_its_own_run_from_its_front) {
    // 11 pieces on 3 threads: runs of 3, 4 and 4. No thread takes a second piece before
    // every thread has its first, so each first piece is the front of its own run (its
    // back, backward).
    for (bool backward : {false, true}) {
        detail::thread_pool pool(3);
        detail::layer_pool_scope<float> scope(&pool, nullptr);
        record r(3);
        std::atomic<int> firsts = 0;
        bool waited = true;
        detail::share_rows(
            21, 2, big, backward, [&](std::size_t part) { ++r.starts[part]; },
            [&](long first, long last, std::size_t part) {
                r.pieces[part].push_back({first, last});
                if (r.pieces[part].size() == 1) ++firsts;
                if (!wait_for([&] { return firsts.load() == 3; })) waited = false;
            });
        BOOST_TEST(waited);
        r.check_covers(21, 2);
        BOOST_TEST(r.starts == (std::vector<int>{1, 1, 1}), boost::test_tools::per_element());
        const std::vector<piece> front{{0, 2}, {6, 8}, {14, 16}}, back{{4, 6}, {12, 14}, {20, 21}};
        for (std::size_t part = 0; part < 3; ++part) BOOST_TEST(r.pieces[part][0] == (backward ? back : front)[part]);
    }
}

BOOST_AUTO_TEST_CASE(a_thread_done_with_its_own_takes_the_others_from_their_other_end) {
    // 10 pieces of one row on 2 threads: 0-4 are part 0's, 5-9 part 1's. Part 0 starts once
    // part 1 has its first piece, and part 1 holds it until part 0 has taken one of part
    // 1's, which comes from the end part 1 would reach last.
    for (bool backward : {false, true}) {
        detail::thread_pool pool(2);
        detail::layer_pool_scope<float> scope(&pool, nullptr);
        record r(2);
        std::atomic<bool> part_1_began = false, taken_over = false;
        bool waited = true;
        detail::share_rows(
            10, 1, big, backward, [](std::size_t) {},
            [&](long first, long last, std::size_t part) {
                r.pieces[part].push_back({first, last});
                const bool first_piece = r.pieces[part].size() == 1;
                if (part == 0 && first >= 5) taken_over = true;
                if (part == 0 && first_piece && !wait_for([&] { return part_1_began.load(); })) waited = false;
                if (part == 1 && first_piece) {
                    part_1_began = true;
                    if (!wait_for([&] { return taken_over.load(); })) waited = false;
                }
            });
        BOOST_TEST(waited);
        r.check_covers(10, 1);
        BOOST_TEST_REQUIRE(!r.pieces[1].empty());
        const std::vector<piece> own_forward{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}},
            own_backward{{4, 5}, {3, 4}, {2, 3}, {1, 2}, {0, 1}};
        BOOST_TEST_REQUIRE(r.pieces[0].size() >= 6u);
        BOOST_TEST(std::vector<piece>(r.pieces[0].begin(), r.pieces[0].begin() + 5) ==
                       (backward ? own_backward : own_forward),
                   boost::test_tools::per_element());
        BOOST_TEST(r.pieces[1][0] == (backward ? piece{9, 10} : piece{5, 6}));
        BOOST_TEST(r.pieces[0][5] == (backward ? piece{5, 6} : piece{9, 10}));
    }
}
