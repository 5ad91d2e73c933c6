"""The face engine on dlib: the HOG face detector, the 5-point shape predictor and the ResNet
face-recognition model (128-d descriptors, 99.38% on LFW), all from PyPI wheels
(``dlib-bin``, Boost licence; the weights in ``face_recognition_models``, an MIT package of
models their author released into the public domain): nothing is downloaded at run time.

dlib holds the GIL for most of its work (a thread running it stalls the event loop for up to
~0.2 s a call, measured), so the work runs in worker processes (``processes``), each loading
the models once; ``processes=0`` runs it in a thread (tests, one-off tools).
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import multiprocessing
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache, partial
from pathlib import Path
from typing import Any

import dlib  # type: ignore[import-untyped]
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from social.domain.faces.model import DetectedFace, FaceBox
from social.domain.media.errors import MediaRejected
from social.domain.shared.errors import Unavailable

__all__ = ["DlibFaceEngine", "find_faces", "model_dir"]


class DlibFaceEngine:
    """``max_side``: the photo is downscaled so its longer side is at most this before
    detection (bounded work); ``upsample``: how many times the detector doubles the image to
    find small faces (each costs ~4x)."""

    def __init__(
        self,
        *,
        max_side: int = 1080,
        upsample: int = 1,
        processes: int = 1,
        max_pixels: int = 50_000_000,
    ) -> None:
        self._work = partial(
            find_faces, max_side=max_side, upsample=upsample, max_pixels=max_pixels
        )
        self._processes = processes
        self._pool: Executor | None = None

    async def detect(self, image: bytes) -> list[DetectedFace]:
        loop = asyncio.get_running_loop()
        if self._processes <= 0:
            return await asyncio.to_thread(self._work, image)
        if self._pool is None:  # started on first use: an API process that never indexes
            self._pool = ProcessPoolExecutor(  # pays nothing
                self._processes, mp_context=multiprocessing.get_context("spawn")
            )
        try:
            return await loop.run_in_executor(self._pool, self._work, image)
        except BrokenProcessPool as broken:  # a worker died (killed, out of memory): a new
            self._pool = None  # pool for the next call, this job retried
            raise Unavailable("The face engine's worker stopped.", dependency="faces") from broken

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def model_dir() -> Path:
    """Where ``face_recognition_models`` keeps its weights (found without importing it: its
    ``__init__`` needs ``pkg_resources``, which modern setuptools no longer ships)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the face_recognition_models package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


_MODELS_IN_USE = threading.Lock()
"""dlib's models keep working buffers: two threads running one at once abort the process
(seen with ``processes=0``). A worker process runs one call at a time, so there it never waits."""


@cache
def _models() -> tuple[Any, Any, Any]:
    models = model_dir()
    return (
        dlib.get_frontal_face_detector(),
        dlib.shape_predictor(str(models / "shape_predictor_5_face_landmarks.dat")),
        dlib.face_recognition_model_v1(str(models / "dlib_face_recognition_resnet_model_v1.dat")),
    )


def find_faces(
    image: bytes, *, max_side: int, upsample: int, max_pixels: int
) -> list[DetectedFace]:
    """Every face of the image, left to right, boxes in the upright image's pixels. Blocking:
    run it in a worker."""
    rgb, scale = _decoded(image, max_side, max_pixels)
    width, height = rgb.shape[1], rgb.shape[0]
    faces = []
    with _MODELS_IN_USE:
        detector, shapes, recognizer = _models()
        for rect in detector(rgb, upsample):
            descriptor = recognizer.compute_face_descriptor(rgb, shapes(rgb, rect))
            box = FaceBox(
                left=round(max(0, rect.left()) / scale),
                top=round(max(0, rect.top()) / scale),
                right=round(min(width, rect.right() + 1) / scale),
                bottom=round(min(height, rect.bottom() + 1) / scale),
            )
            faces.append(DetectedFace(box, tuple(float(value) for value in descriptor)))
    return sorted(faces, key=lambda face: (face.box.left, face.box.top))


def _decoded(image: bytes, max_side: int, max_pixels: int) -> tuple[np.ndarray[Any, Any], float]:
    """The upright RGB pixels, at most ``max_side`` on the longer side, and the scale applied."""
    try:
        with Image.open(io.BytesIO(image)) as opened:
            if opened.width * opened.height > max_pixels:
                raise MediaRejected("The photo is larger than allowed.")
            full = max(opened.size)
            opened.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced size
            upright = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise MediaRejected("This file is not a photo the face engine reads.") from error
    if max(upright.size) > max_side:
        upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(upright), max(upright.size) / full
