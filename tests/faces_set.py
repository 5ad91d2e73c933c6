"""A small labelled set of faces made from the license-clean portraits in ``tests/data/faces``
(see its README): synthetic variations of each person, for the engine tests, the measured
precision/recall and the benchmark."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageEnhance, ImageOps

__all__ = ["PEOPLE", "Sample", "collage", "encoded", "portrait", "variations"]

DATA = Path(__file__).parent / "data" / "faces"
PEOPLE = {"collins": "eileen_collins.jpg", "hopper": "grace_hopper.jpg"}


@dataclass(frozen=True, slots=True)
class Sample:
    person: str
    variation: str
    image: bytes


def portrait(person: str) -> Image.Image:
    with Image.open(DATA / PEOPLE[person]) as opened:
        return opened.convert("RGB")


def background() -> Image.Image:
    with Image.open(DATA / "coffee.jpg") as opened:
        return opened.convert("RGB")


def encoded(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _scaled(factor: float) -> Callable[[Image.Image], Image.Image]:
    return lambda im: im.resize((round(im.width * factor), round(im.height * factor)))


def _pasted(im: Image.Image) -> Image.Image:
    """On the coffee photo, off centre, at most two thirds of its height."""
    canvas = background().resize((900, 600))
    face = im.copy()
    face.thumbnail((400, 400))
    canvas.paste(face, (450, 150))
    return canvas


_VARIATIONS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "original": lambda im: im,
    "mirrored": ImageOps.mirror,
    "smaller": _scaled(0.7),
    "larger": _scaled(1.6),
    "darker": lambda im: ImageEnhance.Brightness(im).enhance(0.6),
    "brighter": lambda im: ImageEnhance.Brightness(im).enhance(1.35),
    "low contrast": lambda im: ImageEnhance.Contrast(im).enhance(0.6),
    "turned left": lambda im: im.rotate(8, resample=Image.Resampling.BICUBIC, fillcolor="gray"),
    "turned right": lambda im: im.rotate(-8, resample=Image.Resampling.BICUBIC, fillcolor="gray"),
    "cropped": lambda im: im.crop((im.width // 10, 0, im.width - im.width // 10, im.height)),
    "on a background": _pasted,
    "grey": lambda im: ImageOps.grayscale(im).convert("RGB"),
}


def variations() -> list[Sample]:
    """Every variation of every person, JPEG re-encoded (one at a low quality)."""
    samples = []
    for person in PEOPLE:
        source = portrait(person)
        for name, vary in _VARIATIONS.items():
            samples.append(Sample(person, name, encoded(vary(source))))
        samples.append(Sample(person, "jpeg q30", encoded(source, quality=30)))
    return samples


def collage(*people: str) -> bytes:
    """The people side by side on the coffee photo: a group shot."""
    canvas = background().resize((500 * len(people), 500))
    for n, person in enumerate(people):
        face = portrait(person)
        face.thumbnail((440, 440))
        canvas.paste(face, (n * 500 + 30, 30))
    return encoded(canvas)
