#pragma once
// The images and flavors the lab's Nova offers (Glance's and Nova's catalogs of a fresh
// Icehouse install: the CirrOS test images of the Icehouse and Havana install guides, and
// the five default flavors). Image ids are this lab's own.

#include <array>
#include <string_view>

namespace nlab::model::catalog {

struct Image {
    std::string_view id;
    std::string_view name;
};

struct Flavor {
    std::string_view id;
    std::string_view name;
    int ramMb;
    int diskGb;
    int vcpus;
};

inline constexpr std::array<Image, 2> kImages{{
    {"acafc7c0-40aa-4026-9673-b879898e1fc2", "cirros-0.3.2-x86_64"},
    {"5f4b2a9e-7c1d-4e8a-9b3f-2d6c8e0a1b47", "cirros-0.3.1-x86_64"},
}};

inline constexpr std::array<Flavor, 5> kFlavors{{
    {"1", "m1.tiny", 512, 1, 1},
    {"2", "m1.small", 2048, 20, 1},
    {"3", "m1.medium", 4096, 40, 2},
    {"4", "m1.large", 8192, 80, 4},
    {"5", "m1.xlarge", 16384, 160, 8},
}};

/// By id or name (null if unknown).
inline const Image* findImage(std::string_view idOrName) {
    for (const Image& i : kImages) {
        if (i.id == idOrName || i.name == idOrName) return &i;
    }
    return nullptr;
}

/// By id or name (null if unknown).
inline const Flavor* findFlavor(std::string_view idOrName) {
    for (const Flavor& f : kFlavors) {
        if (f.id == idOrName || f.name == idOrName) return &f;
    }
    return nullptr;
}

}  // namespace nlab::model::catalog
