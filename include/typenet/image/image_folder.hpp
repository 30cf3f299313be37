/// Defines `typenet::image::load_image_folder`, torchvision's `ImageFolder`: a data set from
/// a folder of class folders of images, read whole into a `data::labeled_set`.
#pragma once

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <typenet/data/data_error.hpp>
#include <typenet/data/dataset.hpp>
#include <typenet/image/color.hpp>
#include <typenet/image/read_image.hpp>
#include <typenet/image/tensor.hpp>
#include <typenet/image/transforms.hpp>
#include <typenet/layer.hpp>

namespace typenet::image {

/// The file names an image folder takes, in any case: torchvision's IMG_EXTENSIONS. Those
/// of formats other than PNG and JPEG are taken too, and refused when read, so that a
/// folder torchvision reads is never read here with images left out.
inline constexpr std::array<std::string_view, 9> image_extensions{".jpg", ".jpeg", ".png",  ".ppm", ".bmp",
                                                                  ".pgm", ".tif",  ".tiff", ".webp"};

/// A data set read from a folder of class folders.
struct image_folder {
    data::labeled_set set;                     ///< the images, C×H×W floats in [0, 1], and their labels
    std::vector<std::string> classes;          ///< class i's folder name, sorted
    std::vector<std::filesystem::path> files;  ///< image i's file
};

namespace detail {

inline bool has_image_extension(const std::filesystem::path& file) {
    std::string name = file.filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    return std::any_of(image_extensions.begin(), image_extensions.end(),
                       [&](std::string_view extension) { return name.ends_with(extension); });
}

// The class folders of `root` (its folders, symbolic links followed, sorted) and the image
// files of each, found at any depth, in the order of torchvision's make_dataset:
// `sorted(os.walk(class_folder))`, then each folder's names sorted.
inline image_folder list_image_folder(const std::filesystem::path& root) {
    namespace fs = std::filesystem;
    image_folder folder;
    std::error_code error;
    for (fs::directory_iterator entry(root, error), end; !error && entry != end; entry.increment(error))
        if (entry->is_directory()) folder.classes.push_back(entry->path().filename().string());
    if (error) throw data::data_error(root, fmt::format("cannot list the class folders: {}", error.message()));
    if (folder.classes.empty())
        throw data::data_error(root, "no class folders: an image folder holds one folder per class");
    if (folder.classes.size() > 256)
        throw data::data_error(root, fmt::format("{} class folders, more than the 256 that 8-bit labels can number",
                                                 folder.classes.size()));
    std::sort(folder.classes.begin(), folder.classes.end());

    std::vector<std::string> empty_classes;
    for (std::size_t label = 0; label < folder.classes.size(); ++label) {
        std::vector<std::pair<std::string, std::string>> found;  // (folder, name): os.walk's order once sorted
        const auto options = fs::directory_options::follow_directory_symlink;
        for (fs::recursive_directory_iterator entry(root / folder.classes[label], options, error), end;
             !error && entry != end; entry.increment(error))
            if (!entry->is_directory() && has_image_extension(entry->path()))
                found.emplace_back(entry->path().parent_path().string(), entry->path().filename().string());
        if (error)
            throw data::data_error(root / folder.classes[label],
                                   fmt::format("cannot list the images: {}", error.message()));
        if (found.empty()) empty_classes.push_back(folder.classes[label]);
        std::sort(found.begin(), found.end());
        for (const auto& [parent, name] : found) {
            folder.files.push_back(fs::path(parent) / name);
            folder.set.labels.push_back(static_cast<std::uint8_t>(label));
        }
    }
    if (!empty_classes.empty())
        throw data::data_error(root, fmt::format("no image in the class folders {} (images are files named {})",
                                                 fmt::join(empty_classes, ", "), fmt::join(image_extensions, ", ")));
    return folder;
}

// `transform` applied to `picture`, drawing from `draw` if it draws random numbers: a
// `compose` takes its key, a `random_crop` or `random_horizontal_flip` the draw itself.
template <class Transform>
bitmap transformed(const Transform& transform, bitmap picture, train_context draw) {
    if constexpr (std::is_invocable_r_v<bitmap, const Transform&, bitmap, train_context>)
        return transform(std::move(picture), draw);
    else if constexpr (std::is_invocable_r_v<bitmap, const Transform&, bitmap, std::uint64_t>)
        return transform(std::move(picture), draw.key);
    else
        return transform(std::move(picture));
}

}  // namespace detail

/// Reads every image of the class folders of `root` as torchvision's `ImageFolder` finds them
/// (classes: the folder names, sorted, labelled 0, 1, …; images: the files with an image
/// extension, at any depth, sorted), each decoded into `to`'s channels, then made by
/// `transform` the same size as every other (a `compose` of `resize` and `center_crop`,
/// say), then as `to_tensor` makes it. The random transforms draw from `seed` and the
/// image's place: the same seed gives the same set. Throws `data::data_error` naming the
/// folder if it has no class folder, more than 256, or one without images, and naming the
/// file if an image cannot be read or comes out another size than the first.
///
///     image_folder val = load_image_folder("imagenet/val", compose{resize{256}, center_crop{224}});
///     normalize{imagenet_mean, imagenet_std}(val.set.images);
template <class Transform = compose<>>
image_folder load_image_folder(const std::filesystem::path& root, const Transform& transform = {},
                               std::uint64_t seed = 0, color to = color::rgb) {
    image_folder folder = detail::list_image_folder(root);
    data::image_set& images = folder.set.images;
    for (std::size_t i = 0; i < folder.files.size(); ++i) {
        const bitmap picture =
            detail::transformed(transform, read_image(folder.files[i], to), train_context{seed}.at(i));
        if (i == 0) {
            images.channels = picture.channels;
            images.rows = picture.rows;
            images.cols = picture.cols;
            images.pixels.reserve(folder.files.size() * images.image_size());
        } else if (picture.channels != images.channels || picture.rows != images.rows || picture.cols != images.cols) {
            throw data::data_error(folder.files[i],
                                   fmt::format("{}x{}x{} (channels x rows x cols) once transformed, where the first "
                                               "image, {}, is {}x{}x{}: the transform must make every image one size",
                                               picture.channels, picture.rows, picture.cols, folder.files[0].string(),
                                               images.channels, images.rows, images.cols));
        }
        append_tensor(images.pixels, picture);
        ++images.count;
    }
    return folder;
}

}  // namespace typenet::image
