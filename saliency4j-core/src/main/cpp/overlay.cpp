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

// Eight pixels at a time with AVX2: the reduction and range, the 8-bit levels, then three vectors of eight
// interleaved RGB bytes for each eight pixels (colour gathered from the table, blended, packed). Every lane runs
// the same operations as the scalar tail, so the bytes do not depend on where a pixel falls.
__attribute__((target("avx2,fma")))
void overlay(const float* attribution, int channels, int height, int width, const std::uint8_t* background,
             const std::uint8_t* lut, float alpha, float keep, std::uint8_t* out) {
    const int plane = height * width;
    const int vectorised = plane - plane % 8;
    // Working space kept per thread for maps of up to a megapixel: a fresh allocation of this size is mapped anew
    // by malloc on every call, and its page faults cost more than the whole computation. Larger maps (rare) get
    // their own, so that no thread keeps more than 8 MB.
    constexpr int kept = 1 << 20;
    thread_local std::vector<float> keptScratch;
    thread_local std::vector<std::int32_t> keptLevels;
    std::vector<float> ownScratch;
    std::vector<std::int32_t> ownLevels;
    std::vector<float>& scratch = plane <= kept ? keptScratch : ownScratch;
    std::vector<std::int32_t>& levels = plane <= kept ? keptLevels : ownLevels;
    scratch.resize(static_cast<std::size_t>(plane));
    levels.resize(static_cast<std::size_t>(plane));

    // Pass 1: the largest absolute value over channels, and the map's range.
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 vlow = _mm256_set1_ps(INFINITY);
    __m256 vhigh = _mm256_set1_ps(-INFINITY);
    for (int i = 0; i < vectorised; i += 8) {
        __m256 value = _mm256_andnot_ps(sign, _mm256_loadu_ps(attribution + i));
        for (int c = 1; c < channels; ++c) {
            value = _mm256_max_ps(value, _mm256_andnot_ps(sign, _mm256_loadu_ps(attribution + c * plane + i)));
        }
        _mm256_storeu_ps(scratch.data() + i, value);
        vlow = _mm256_min_ps(vlow, value);
        vhigh = _mm256_max_ps(vhigh, value);
    }
    float lows[8];
    float highs[8];
    _mm256_storeu_ps(lows, vlow);
    _mm256_storeu_ps(highs, vhigh);
    float low = *std::min_element(lows, lows + 8);
    float high = *std::max_element(highs, highs + 8);
    for (int i = vectorised; i < plane; ++i) {
        float value = std::fabs(attribution[i]);
        for (int c = 1; c < channels; ++c) {
            value = std::max(value, std::fabs(attribution[c * plane + i]));
        }
        scratch[i] = value;
        low = std::min(low, value);
        high = std::max(high, value);
    }

    // convertTo(CV_32F, 1 / range, -low / range): the factors in double, rounded to float, then one FMA.
    const double range = static_cast<double>(high) - static_cast<double>(low);
    const float scale = range > 0 ? static_cast<float>(1.0 / range) : 0.0f;
    const float shift = range > 0 ? static_cast<float>(-static_cast<double>(low) / range) : 0.0f;

    // Pass 2: normalise, clip, 8 bits.
    const __m256 vscale = _mm256_set1_ps(scale);
    const __m256 vshift = _mm256_set1_ps(shift);
    const __m256 zero = _mm256_setzero_ps();
    const __m256 one = _mm256_set1_ps(1.0f);
    const __m256 full = _mm256_set1_ps(255.0f);
    for (int i = 0; i < vectorised; i += 8) {
        __m256 normalised = _mm256_fmadd_ps(_mm256_loadu_ps(scratch.data() + i), vscale, vshift);
        normalised = _mm256_min_ps(_mm256_max_ps(normalised, zero), one);
        __m256 rounded = _mm256_round_ps(_mm256_mul_ps(normalised, full), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(levels.data() + i), _mm256_cvttps_epi32(rounded));
    }
    for (int i = vectorised; i < plane; ++i) {
        float normalised = std::fma(scratch[i], scale, shift);
        normalised = std::min(std::max(normalised, 0.0f), 1.0f);
        levels[i] = saturate_u8(round_even(normalised * 255.0f));
    }

    // Pass 3: addWeighted(background, keep, colour, alpha, 0) = fma(a, keep, fma(b, alpha, 0)) per byte.
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
