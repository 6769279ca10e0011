package org.saliency4j;

/** The part of the original image the model input covers, in original pixel coordinates. */
public record CropRegion(double x, double y, double width, double height) {
}
