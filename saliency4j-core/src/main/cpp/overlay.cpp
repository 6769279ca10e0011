#include "saliency4j/overlay.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <immintrin.h>

namespace saliency4j {

namespace {

// OpenCV's cvRound on x86: round to nearest, ties to even (the SSE conversion's default mode).
inline int round_even(float value) {
    return static_cast<int>(std::nearbyint(value));
}

inline std::uint8_t saturate_u8(int value) {
    return static_cast<std::uint8_t>(std::min(255, std::max(0, value)));
}

}  // namespace

bool overlay_available() {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// Eight pixels at a time with AVX2: the map's 8-bit levels, then three vectors of eight interleaved RGB bytes for
// each eight pixels (colour gathered from the table, blended, packed). Every lane runs the same operations as the
// scalar tail, so the bytes do not depend on where a pixel falls.
__attribute__((target("avx2,fma")))
void overlay(const float* map, int height, int width, const std::uint8_t* background, const std::uint8_t* lut,
             float alpha, float keep, std::uint8_t* out) {
    const int plane = height * width;
    const int vectorised = plane - plane % 8;
    // Working space kept per thread for maps of up to a megapixel: a fresh allocation of this size is mapped anew
    // by malloc on every call, and its page faults cost more than the whole computation. Larger maps (rare) get
    // their own, so that no thread keeps more than 4 MB.
    constexpr int kept = 1 << 20;
    thread_local std::vector<std::int32_t> keptLevels;
    std::vector<std::int32_t> ownLevels;
    std::vector<std::int32_t>& levels = plane <= kept ? keptLevels : ownLevels;
    levels.resize(static_cast<std::size_t>(plane));

    // Pass 1: clip to [0, 1], 8 bits, as convertTo(CV_8U, 255) after the renderer's clip.
    const __m256 zero = _mm256_setzero_ps();
    const __m256 one = _mm256_set1_ps(1.0f);
    const __m256 full = _mm256_set1_ps(255.0f);
    for (int i = 0; i < vectorised; i += 8) {
        __m256 clipped = _mm256_min_ps(_mm256_max_ps(_mm256_loadu_ps(map + i), zero), one);
        __m256 rounded = _mm256_round_ps(_mm256_mul_ps(clipped, full), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(levels.data() + i), _mm256_cvttps_epi32(rounded));
    }
    for (int i = vectorised; i < plane; ++i) {
        const float clipped = std::min(std::max(map[i], 0.0f), 1.0f);
        levels[i] = saturate_u8(round_even(clipped * 255.0f));
    }

    // Pass 2: addWeighted(background, keep, colour, alpha, 0) = fma(a, keep, fma(b, alpha, 0)) per byte.
    std::int32_t table[256 * 3];
    for (int k = 0; k < 256 * 3; ++k) {
        table[k] = lut[k];
    }
    const __m256 valpha = _mm256_set1_ps(alpha);
    const __m256 vkeep = _mm256_set1_ps(keep);
    // Byte b of 24 (eight pixels) belongs to pixel b / 3, channel b % 3.
    const __m256i pixel[3] = {_mm256_setr_epi32(0, 0, 0, 1, 1, 1, 2, 2), _mm256_setr_epi32(2, 3, 3, 3, 4, 4, 4, 5),
                              _mm256_setr_epi32(5, 5, 6, 6, 6, 7, 7, 7)};
    const __m256i channel[3] = {_mm256_setr_epi32(0, 1, 2, 0, 1, 2, 0, 1), _mm256_setr_epi32(2, 0, 1, 2, 0, 1, 2, 0),
                                _mm256_setr_epi32(1, 2, 0, 1, 2, 0, 1, 2)};
    const __m256i three = _mm256_set1_epi32(3);
    const __m256i gather = _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0);
    for (int i = 0; i < vectorised; i += 8) {
        const __m256i eight = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(levels.data() + i));
        for (int k = 0; k < 3; ++k) {
            const int j = i * 3 + k * 8;
            const __m256i index = _mm256_add_epi32(
                    _mm256_mullo_epi32(_mm256_permutevar8x32_epi32(eight, pixel[k]), three), channel[k]);
            const __m256 colour = _mm256_cvtepi32_ps(_mm256_i32gather_epi32(table, index, 4));
            const __m256 base = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(
                    _mm_loadl_epi64(reinterpret_cast<const __m128i*>(background + j))));
            const __m256 blended = _mm256_fmadd_ps(base, vkeep, _mm256_mul_ps(colour, valpha));
            const __m256i values = _mm256_cvttps_epi32(
                    _mm256_round_ps(blended, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            const __m256i words = _mm256_packus_epi32(values, values);
            const __m256i bytes = _mm256_packus_epi16(words, words);
            const __m256i joined = _mm256_permutevar8x32_epi32(bytes, gather);
            _mm_storel_epi64(reinterpret_cast<__m128i*>(out + j), _mm256_castsi256_si128(joined));
        }
    }
    for (int i = vectorised; i < plane; ++i) {
        for (int c = 0; c < 3; ++c) {
            const float colour = static_cast<float>(lut[levels[i] * 3 + c]);
            const float base = static_cast<float>(background[i * 3 + c]);
            out[i * 3 + c] = saturate_u8(round_even(std::fma(base, keep, colour * alpha)));
        }
    }
}

}  // namespace saliency4j
