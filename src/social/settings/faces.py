"""Faces in event photos (EVT-2): the match threshold, the engine's bounds, the vector index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["FaceSettings"]


@dataclass(frozen=True, slots=True)
class FaceSettings:
    """How faces are found and matched."""

    face_match_threshold: float = 0.55
    """The largest Euclidean distance between two dlib embeddings taken as the same person.
    dlib's own figure is 0.6; 0.55 keeps a margin from the nearest stranger on the labelled
    set (different people from 0.61, the same within 0.26)."""
    face_max_side: int = 1080
    """Photos are downscaled to at most this many pixels on the longer side before detection."""
    face_upsample: int = 1
    """How many times the detector doubles the photo to find small faces (each ~4x the work)."""
    face_processes: int = 1
    """Worker processes running the engine (dlib holds the GIL); 0: a thread."""
    face_index: Literal["auto", "pgvector", "exact"] = "auto"
    """``pgvector``, ``exact`` (core SQL, any PostgreSQL) or ``auto``: pgvector where the
    ``vector`` extension is enabled, else exact."""
    face_search_cache_s: float = 10.0
    """The exact search keeps a searched event's faces in the API process this long (a photo
    indexed meanwhile appears in searches up to this much later); 0: never kept."""
    face_search_cache_mb: int = 64
    """Memory of each API process for those faces (~0.5 KiB a face; least recently searched
    events leave first)."""
