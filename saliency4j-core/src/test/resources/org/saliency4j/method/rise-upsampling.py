# Writes rise-upsampling.txt: RISE's mask upsampling as the paper's code computes it (Petsiuk et al.,
# github.com/eclique/RISE, explanations.py: skimage.transform.resize(grid, up_size, order=1, mode='reflect',
# anti_aliasing=False)), for RiseMasksTest. Run with numpy and scikit-image: python3 rise-upsampling.py
import math

import numpy as np
from skimage.transform import resize

rng = np.random.default_rng(2018)
with open("rise-upsampling.txt", "w") as out:
    out.write("# cells side upsampled, then per case: grid (row-major, 1 kept), the upsampled square (row-major)\n")
    for cells, side in [(2, 5), (3, 8), (4, 13), (7, 20)]:
        cell = math.ceil(side / cells)
        up = (cells + 1) * cell
        for _ in range(2):
            grid = (rng.random((cells, cells)) < 0.5).astype("float32")
            values = resize(grid, (up, up), order=1, mode="reflect", anti_aliasing=False)
            out.write("case %d %d %d\n" % (cells, side, up))
            out.write("grid " + " ".join("%d" % v for v in grid.ravel()) + "\n")
            out.write("values " + " ".join("%.9f" % v for v in values.ravel()) + "\n")
