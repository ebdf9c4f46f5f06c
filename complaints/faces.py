"""Faces in photos shown to the public: found with the Haar cascades that ship inside the
``opencv-python-headless`` wheel (``cv2.data.haarcascades``: nothing is downloaded, at install
or at run time) and blurred past recognition in the public copy only. The clean original stays
for the staff who handle the report and for its reporter (complaints.attachments).

How faces are found (``detect``): on a greyscale copy at most ``DETECT_SIDE`` px on its long
side, histogram-equalised. A frontal face counts when OpenCV's two frontal cascades agree (the
default one with ``minNeighbors`` 5, and alt2 finding a box that overlaps it by 30 % or more;
the default one alone finds faces in coins, the moon, cells); a face in profile when the profile
cascade finds it, looking either way, with ``minNeighbors`` 8. Nothing smaller than
``MIN_FACE`` of the photo's short side (too small to recognise) is looked for.

Measured (December 2026) on the 24 photos without a person that ship with scikit-image 0.26
(a brick wall, gravel, grass, coffee, coins, a motorbike, a rocket, a cat, the moon, cells,
text...), the same six scaled up to 2560 × 1920, and a drawn road and building front at that
size: no false face. Found: the astronaut's face (also pasted at 600 px into the road and the
building at 2560 × 1920) and the cameraman's (in profile). A photo takes 2 to 10 s on one
busy core. A false face costs a blurred patch in the public copy only; staff keep the
original.

How they are blurred (``blur``): each box grown by ``MARGIN`` on every side, pixelated to
``BLOCKS`` blocks across and then smoothed with a Gaussian: what is left cannot be turned back
into the face. ``detector_version()`` names this recipe and OpenCV's version; it is recorded
with each photo, so a better recipe can find the photos made with an older one.
"""

from __future__ import annotations

import functools
from typing import Any

from PIL import Image, ImageFilter

DETECT_SIDE = 1024
MIN_FACE = 0.04
MIN_FACE_PX = 20
MARGIN = 0.25
BLOCKS = 8
RECIPE = "haar frontal default+alt2 (5), profile (8), v1"

Box = tuple[int, int, int, int]  # left, top, width, height in the photo's pixels


@functools.cache
def _cv2() -> Any:
    # Imported on first use: the web processes that never clean a photo never load OpenCV.
    import cv2

    return cv2


@functools.cache
def _cascades() -> tuple[Any, Any, Any]:
    """The three cascades, read once per process from the files inside the wheel."""
    cv2 = _cv2()
    loaded = []
    for name in ("haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt2.xml",
                 "haarcascade_profileface.xml"):
        cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)
        if cascade.empty():
            raise RuntimeError(f"OpenCV's bundled cascade {name} did not load")
        loaded.append(cascade)
    return loaded[0], loaded[1], loaded[2]


def detector_version() -> str:
    """What found the faces, recorded on each photo: OpenCV's version and our recipe."""
    return f"opencv {_cv2().__version__}; {RECIPE}"


def _overlap(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def detect(image: Image.Image) -> list[Box]:
    """The faces in ``image``, as boxes in its own pixels (overlapping finds merged)."""
    import numpy as np

    cv2 = _cv2()
    default, alt2, profile = _cascades()
    grey = image.convert("L")
    scale = min(1.0, DETECT_SIDE / max(grey.size))
    if scale < 1.0:
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))),
                           Image.Resampling.BOX)
    pixels = cv2.equalizeHist(np.asarray(grey, dtype=np.uint8))
    side = max(MIN_FACE_PX, int(MIN_FACE * min(pixels.shape)))
    if min(pixels.shape) < side:
        return []

    def boxes(cascade: Any, pixels: Any, neighbours: int) -> list[Box]:
        return [(int(x), int(y), int(w), int(h)) for x, y, w, h in cascade.detectMultiScale(
            pixels, scaleFactor=1.1, minNeighbors=neighbours, minSize=(side, side))]

    second = boxes(alt2, pixels, 3)
    found = [b for b in boxes(default, pixels, 5) if any(_overlap(b, o) >= 0.3 for o in second)]
    found += boxes(profile, pixels, 8)
    width = pixels.shape[1]
    found += [(width - x - w, y, w, h) for x, y, w, h in boxes(profile, cv2.flip(pixels, 1), 8)]
    merged: list[Box] = []
    for box in found:  # one face found by two cascades is one face
        if not any(_overlap(box, kept) >= 0.3 for kept in merged):
            merged.append(box)
    return [
        (round(x / scale), round(y / scale), round(w / scale), round(h / scale))
        for x, y, w, h in merged
    ]


def blur(image: Image.Image, boxes: list[Box]) -> Image.Image:
    """A copy of ``image`` with every box (and a margin around it) pixelated and smoothed."""
    out = image.copy()
    for x, y, w, h in boxes:
        grow_x, grow_y = round(w * MARGIN), round(h * MARGIN)
        area = (max(0, x - grow_x), max(0, y - grow_y),
                min(image.width, x + w + grow_x), min(image.height, y + h + grow_y))
        patch = out.crop(area)
        small = patch.resize(
            (max(1, min(BLOCKS, patch.width)),
             max(1, min(BLOCKS, round(BLOCKS * patch.height / max(patch.width, 1))))),
            Image.Resampling.BOX,
        )
        patch = small.resize(patch.size, Image.Resampling.NEAREST)
        patch = patch.filter(ImageFilter.GaussianBlur(radius=max(2, patch.width // (2 * BLOCKS))))
        out.paste(patch, area[:2])
    return out
