// The fused rendering kernel: a saliency map -> colour map -> overlay, in one call.
#ifndef SALIENCY4J_OVERLAY_H
#define SALIENCY4J_OVERLAY_H

#include <cstdint>

namespace saliency4j {

// Whether this CPU runs the kernel (it needs AVX2 and FMA, which the OpenCV path it reproduces uses too).
bool overlay_available();

// For a height x width map (values outside [0, 1] are clipped): scaled to 8 bits, coloured through `lut` (256 RGB
// colours) and blended over `background` (height x width RGB) as out = background * keep + colour * alpha, where
// keep is 1 - alpha computed in double by the caller and both are rounded to float, as OpenCV's addWeighted takes
// them. Rounding and fused multiply-adds follow OpenCV's convertTo and addWeighted, so the bytes equal that path's.
void overlay(const float* map, int height, int width, const std::uint8_t* background, const std::uint8_t* lut,
             float alpha, float keep, std::uint8_t* out);

}  // namespace saliency4j

#endif
