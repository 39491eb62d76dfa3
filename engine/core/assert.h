#pragma once
// NLAB_ASSERT: an always-on check of an internal invariant (never of user input).
// On failure it prints the condition and location and aborts, in every build type.

#include <cstdio>
#include <cstdlib>

#define NLAB_ASSERT(cond)                                                                \
    do {                                                                                 \
        if (!(cond)) [[unlikely]] {                                                      \
            std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                \
        }                                                                                \
    } while (0)
