// Tests typenet/image/image_folder.hpp on folder trees made in a temporary folder from the
// images of tests/fixtures/images/: torchvision's classes, order and labels, the images
// transformed alike, and each kind of folder that cannot be read.
#define BOOST_TEST_MODULE image_folder
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <typenet/image/image_folder.hpp>

#include "../data/temp_files.hpp"

#ifndef TYPENET_FIXTURE_DIR
#define TYPENET_FIXTURE_DIR "tests/fixtures"
#endif

namespace fs = std::filesystem;
namespace ti = typenet::image;

namespace {

const fs::path images = TYPENET_FIXTURE_DIR "/images";

// Copies fixture image `from` to `to` under `dir`, making the folders on the way.
void put(const temp_dir& dir, const std::string& from, const std::string& to) {
    fs::create_directories((dir / to).parent_path());
    fs::copy_file(images / from, dir / to);
}

}  // namespace

BOOST_AUTO_TEST_CASE(classes_labels_and_order_are_torchvisions) {
    temp_dir dir;
    put(dir, "photo_283x411.jpg", "dog/x.jpeg");
    put(dir, "gray_37x23.png", "cat/b.png");
    put(dir, "rgba_33x19.png", "cat/a.PNG");               // extensions in any case
    put(dir, "palette4_trns_29x41.png", "cat/sub/c.png");  // at any depth, after its folder's files
    put(dir, "cmyk_27x38.jpg", "cat/a b.jpg");             // ' ' sorts before '.'
    put(dir, "gray_45x31.jpg", "ant/one.jpg");
    typenet::testing::write_all(dir / "cat/notes.txt", bytes{'h', 'i'});  // not an image's name: left out
    fs::create_directories(dir / "ant/empty");

    const ti::compose transform{ti::resize{32}, ti::center_crop{24, 20}};
    const ti::image_folder folder = ti::load_image_folder(dir.path(), transform);
    BOOST_TEST(folder.classes == (std::vector<std::string>{"ant", "cat", "dog"}), boost::test_tools::per_element());
    const std::vector<fs::path> expected_files{dir / "ant/one.jpg", dir / "cat/a b.jpg",   dir / "cat/a.PNG",
                                               dir / "cat/b.png",   dir / "cat/sub/c.png", dir / "dog/x.jpeg"};
    BOOST_TEST(folder.files == expected_files, boost::test_tools::per_element());
    BOOST_TEST(folder.set.labels == (std::vector<std::uint8_t>{0, 1, 1, 1, 1, 2}), boost::test_tools::per_element());
    const auto& set = folder.set.images;
    BOOST_TEST(set.count == 6u);
    BOOST_TEST(set.channels == 3u);
    BOOST_TEST(set.rows == 24u);
    BOOST_TEST(set.cols == 20u);
    BOOST_TEST(set.pixels.size() == 6u * 3 * 24 * 20);
    for (std::size_t i = 0; i < set.count; ++i) {
        const std::vector<float> alone = ti::to_tensor(transform(ti::read_image(expected_files[i])));
        BOOST_TEST(std::vector<float>(set.image(i).begin(), set.image(i).end()) == alone);
    }

    const ti::image_folder gray = ti::load_image_folder(dir.path(), transform, 0, ti::color::gray);
    BOOST_TEST(gray.set.images.channels == 1u);
}

BOOST_AUTO_TEST_CASE(random_transforms_draw_from_the_seed) {
    temp_dir dir;
    for (int i = 0; i < 4; ++i) put(dir, "photo_397x300.png", fmt::format("only/{}.png", i));
    const ti::compose train{ti::random_crop{64}, ti::random_horizontal_flip{}};
    const auto a = ti::load_image_folder(dir.path(), train, 1);
    BOOST_TEST(ti::load_image_folder(dir.path(), train, 1).set.images.pixels == a.set.images.pixels);
    BOOST_TEST(ti::load_image_folder(dir.path(), train, 2).set.images.pixels != a.set.images.pixels);
    // Each image its own draws: the same file, other windows.
    BOOST_TEST(!std::equal(a.set.images.image(0).begin(), a.set.images.image(0).end(), a.set.images.image(1).begin()));
    // A random transform alone takes the image's draw.
    BOOST_TEST(ti::load_image_folder(dir.path(), ti::random_crop{64}, 1).set.images.count == 4u);
}

BOOST_AUTO_TEST_CASE(folders_that_cannot_be_read_are_errors) {
    temp_dir dir;
    check_error([&] { ti::load_image_folder(dir / "absent"); }, {"absent", "cannot list the class folders"});
    check_error([&] { ti::load_image_folder(dir.path()); }, {dir.path().string(), "no class folders"});

    put(dir, "gray_37x23.png", "cat/a.png");
    fs::create_directories(dir / "dog");
    fs::create_directories(dir / "emu/nested");
    check_error([&] { ti::load_image_folder(dir.path()); }, {"no image in the class folders dog, emu", ".webp"});

    put(dir, "gray_37x23.png", "dog/a.png");
    put(dir, "gray_37x23.png", "emu/nested/a.png");
    BOOST_TEST(ti::load_image_folder(dir.path()).set.images.count == 3u);  // one size: no transform needed
    put(dir, "rgba_33x19.png", "emu/b.png");
    check_error([&] { ti::load_image_folder(dir.path()); },
                {"emu/b.png", "3x19x33 (channels x rows x cols) once transformed", "cat/a.png, is 3x23x37"});
    fs::remove(dir / "emu/b.png");

    typenet::testing::write_all(dir / "dog/broken.jpg", bytes{0xff, 0xd8, 0xff, 0xe0, 0, 16});
    check_error([&] { ti::load_image_folder(dir.path()); }, {"dog/broken.jpg", "truncated JPEG"});
    fs::remove(dir / "dog/broken.jpg");
    typenet::testing::write_all(dir / "dog/photo.bmp", bytes{'B', 'M', 0, 0});
    check_error([&] { ti::load_image_folder(dir.path()); }, {"dog/photo.bmp", "BMP image: only PNG and JPEG"});
}

BOOST_AUTO_TEST_CASE(more_than_256_classes_is_an_error) {
    temp_dir dir;
    for (int i = 0; i < 257; ++i) fs::create_directories(dir / fmt::format("class{:03}", i));
    check_error([&] { ti::load_image_folder(dir.path()); }, {"257 class folders, more than the 256"});
}
