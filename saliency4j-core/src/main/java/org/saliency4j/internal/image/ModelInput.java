package org.saliency4j.internal.image;

import org.saliency4j.CropRegion;
import org.saliency4j.Picture;

/**
 * An image ready for the model.
 *
 * @param tensor  the normalised input, (3, size, size) row-major, as torchvision's transform makes it
 * @param view    the same pixels before normalisation, 8-bit RGB: what renderings draw the map over
 * @param region  where the view lies in the original image
 */
public record ModelInput(float[] tensor, Picture view, CropRegion region) {
}
