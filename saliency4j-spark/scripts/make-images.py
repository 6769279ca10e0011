#!/usr/bin/env python3
"""Writes a folder of images for the launcher's checks: N good PNGs (coloured discs and squares on noise, fixed seed)
and four hostile files: an empty file, a PNG cut in half, text named .jpg, and a PNG whose header declares
20000 x 20000 pixels over a few hundred KB (an image bomb). Standard library only.

usage: make-images.py DIR [N]"""
import os
import random
import struct
import sys
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, idat):
    """An 8-bit RGB PNG of the given deflated scanlines."""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def shape_image(rng, size=96):
    colour = [rng.randrange(60, 256) for _ in range(3)]
    cx, cy, r = rng.randrange(25, size - 25), rng.randrange(25, size - 25), rng.randrange(10, 22)
    disc = rng.random() < 0.5
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r if disc else abs(x - cx) <= r and abs(y - cy) <= r
            row.extend(colour if inside else [rng.randrange(0, 60)] * 3)
        rows.append(b"\x00" + bytes(row))
    return png(size, size, zlib.compress(b"".join(rows), 9))


def bomb(width=20000, height=20000):
    compressor = zlib.compressobj(9)
    zeros = bytes(1 << 20)
    return png(width, height, b"".join(compressor.compress(zeros) for _ in range(256)) + compressor.flush())


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    os.makedirs(out, exist_ok=True)
    rng = random.Random(11)
    first = None
    for i in range(count):
        data = shape_image(rng)
        first = first or data
        with open(os.path.join(out, "good-%03d.png" % i), "wb") as f:
            f.write(data)
    hostile = {"empty.png": b"", "truncated.png": first[: len(first) // 2], "text.jpg": b"not an image\n",
               "bomb.png": bomb()}
    for name, data in hostile.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
