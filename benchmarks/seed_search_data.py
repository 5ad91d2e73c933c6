"""Seed data for the search benchmark (``benchmarks/search_load.py``): a few thousand accounts
and 1,000,000 posts with Indonesian and English captions, Zipf-distributed hashtags and places
clustered around Indonesian cities, each post with one small ready image.

    uv run python benchmarks/seed_search_data.py \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:54329/social_search_bench \\
        --users 5000 --posts 1000000 --seed 1 --recreate

    uv run python benchmarks/seed_search_data.py --database-url ... --drop   # remove it

Only the application's own tables are written (users, media, posts, post_media, sessions): the
search index is then built by the app's rebuild, ``social reindex`` (see docs/benchmarks.md), so
the benchmark measures the documents the app itself makes, in either adapter.

Rows are made as the app makes them (``benchmarks/seed_feed_data.py`` has the helpers: UUIDv7 ids
carrying each row's ``created_at``, emails encrypted by ``EmailCipher`` under the key ring derived
from ``--secret``, one shared argon2id hash, captions parsed by ``parse_caption``); they go in
with asyncpg's binary ``COPY`` in one transaction, FK triggers off (users and their avatars refer
to each other), and checks at the end prove the counters and references.

The data:

- accounts: ``--users`` with Indonesian (some accented) names, 5 % private (their posts are
  indexed as ``followers`` and never found), 60 % with an avatar; activity lognormal, so a few
  accounts post thousands of times;
- posts over the last 365 days, more of them lately (density growing ``e``-fold over the year:
  about 4,300 a day at the end, what trending tags count over 24 h);
- captions of 1 to 3 phrases: 55 % Indonesian, 35 % English, 10 % both, 8 % with an accented
  loan phrase (``café latte``, ``crème brûlée``), sometimes an emoji;
- hashtags: 0 to 8 per post (mostly 1 to 4, 8 % none) from ``TAG_COUNT`` tags under a
  Zipf-Mandelbrot law (weight ``1 / (rank + 10)``): the top tag on about 5 % of the posts, the
  last on about 150;
- places on 40 % of the posts, around 25 Indonesian cities and tourist spots weighted by
  population and popularity: a Gaussian around the centre (sigma 2 to 9 km), 30 % of them at one of
  the city's five hot spots (sigma 300 m: a landmark, a mall), named ``"<spot>, <city>"``.

``TAG_COUNT``, ``TAGS`` (by popularity rank), ``CITIES`` and the caption vocabulary are imported
by ``search_load.py`` to draw its queries.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import math
import random
import secrets
import sys
import time
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_feed_data import (
    BLURHASHES,
    MEDIA_COLUMNS,
    POST_COLUMNS,
    USER_COLUMNS,
    Progress,
    copy,
    plain_dsn,
    prepare_database,
    uuid7_at,
)

from social.adapters.postgres import migrations
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.bootstrap import build_hasher, build_token_issuer
from social.domain.posts.model import PostLimits, parse_caption
from social.domain.shared.identity import Role
from social.settings import Settings

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:54329/social_search_bench"
DEFAULT_SECRET = "search-benchmark-secret-0123456789-abcdefghij"  # noqa: S105 - a benchmark's
DEFAULT_PASSWORD = "bench-search-password-42"  # noqa: S105 - printed on purpose
DEFAULT_TOKENS = "/tmp/social_search_bench/tokens.txt"  # noqa: S108 - outside the source tree
BATCH = 20_000
DAYS = 365
GROWTH_DAYS = 365.0  # e-fold growth of the posting rate over the year
TAG_COUNT = 3000
ZIPF_OFFSET = 10
PLACE_SHARE = 0.40
HOTSPOT_SHARE = 0.30
HOTSPOTS_PER_CITY = 5

# ------------------------------------------------------------------------------ vocabulary


def _split(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split("|") if x.strip())


FIRST = _split(
    "Budi|Siti|Agus|Dewi|Putri|Rizky|Ayu|Andi|Rina|Dimas|Nur|Fajar|Indah|Wahyu|Sari|Bayu|Intan|"
    "Yoga|Maya|Eko|Lestari|Reza|Fitri|Hendra|Wulan|Gilang|Tiara|Arif|Nadia|Kevin|José|André|"
    "Zoë|Chloé|Renée|Made|Komang|Ketut|Ni Luh|Teuku"
)
LAST = _split(
    "Santoso|Wijaya|Pratama|Saputra|Hidayat|Kurniawan|Lestari|Siregar|Nasution|Harahap|"
    "Simanjuntak|Wibowo|Setiawan|Gunawan|Susanto|Hakim|Rahman|Putra|Halim|Tanoto|Sitompul|"
    "Manurung|Pangaribuan|Suryadi|Nugroho|Purnomo|Mahendra|Dharma"
)
ID_PHRASES = _split(
    "pagi yang cerah|ngopi dulu|kopi susu gula aren|sarapan nasi uduk|makan siang bareng teman|"
    "jalan-jalan sore|liburan keluarga|akhir pekan di pantai|senja di pantai|mendaki gunung|"
    "pendakian pertama|hujan lagi|macet parah|kuliner malam|nasi goreng kambing|sate ayam madura|"
    "bakso urat|mie ayam enak|soto betawi|rendang padang|es teh manis|martabak manis|"
    "seblak pedas|warung pinggir jalan|pasar tradisional|belanja di pasar|naik kereta|"
    "naik motor keliling kota|bersepeda pagi|lari pagi|berlari lima kilometer|olahraga pagi|"
    "yoga di taman|main ke museum|candi yang megah|air terjun tersembunyi|sawah hijau|"
    "pulau kecil|snorkeling di laut|langit biru|matahari terbenam|bunga bermekaran|kucing lucu|"
    "anjing kesayangan|rumah nenek|mudik lebaran|buka puasa bersama|selamat ulang tahun|"
    "terima kasih semuanya|bahagia itu sederhana|capek tapi seru|pemandangan indah|"
    "cantik banget|enak banget|wajib coba|rekomendasi tempat makan|kafe baru|nongkrong di kafe|"
    "konser musik|nonton film|baca buku|kerja dari kafe|perjalanan panjang|kenangan indah|"
    "sahabat selamanya|pernikahan sahabat|wisuda akhirnya|batik tulis|tari tradisional|"
    "festival budaya|kebun teh|danau yang tenang|gunung berapi|jalan kaki|menikmati suasana|"
    "suasana malam kota|lampu kota|pantai pasir putih|ombak besar|selancar di pantai|"
    "berenang di kolam|memasak bersama ibu|masakan rumahan|pedagang kaki lima|"
    "perpustakaan kota|taman kota|hari minggu|hari yang panjang|semangat pagi"
)
EN_PHRASES = _split(
    "morning coffee|coffee first|sunset vibes|beach day|weekend getaway|road trip with friends|"
    "family time|best food in town|street food tour|hiking the volcano|sunrise hike|rainy day|"
    "city lights|night market|running my first 10k|morning run|cycling around the island|"
    "island hopping|temple visit|hidden waterfall|rice terraces|crystal clear water|"
    "snorkeling trip|blue sky|golden hour|flowers everywhere|my cat|dog days|home sweet home|"
    "birthday celebration|thank you all|happy vibes|tired but happy|beautiful view|"
    "so delicious|must try|new cafe in town|working from a cafe|live music|movie night|"
    "reading a good book|long journey|good memories|best friends forever|wedding day|"
    "graduation day|traditional dance|culture festival|tea plantation|quiet lake|"
    "walking around|enjoying the moment|ocean waves|surfing lesson|back to work|lazy sunday|"
    "brunch with the girls|fresh fruit|spicy noodles|homemade cake|swimming at the pool|"
    "cooking with mom|city park|long day|monday mood"
)
ACCENT_PHRASES = _split(
    "café latte|crème brûlée|açaí bowl|rosé all day|jalapeño nachos|déjà vu|"
    "crêpes for breakfast|pâtisserie hunting|soirée with friends|the façade at night|"
    "fiancé surprise|piña colada|matcha café|café hopping"
)
EMOJI = ("☕", "🌅", "🏖️", "😍", "🔥", "🙏", "❤️", "✨", "🍜", "🌋", "🌴", "😋")

_REAL_TAGS = _split(
    "indonesia|travel|explore|kuliner|food|instagood|photography|jakarta|bali|wisata|"
    "love|foodie|nature|sunset|beach|kulinerjakarta|travelgram|coffee|ngopi|pantai|"
    "explorebali|wonderfulindonesia|fashion|ootd|makananenak|bandung|surabaya|jogja|"
    "yogyakarta|liburan|holiday|traveling|pesonaindonesia|mountain|gunung|pendakian|hiking|"
    "kulinerbandung|kulinersurabaya|kulinerjogja|streetfood|jajanan|dessert|cafe|kafe|"
    "coffeeshop|kopi|kopisusu|senja|langit|sky|summer|weekend|family|keluarga|friends|"
    "sahabat|happy|bahagia|selfie|me|art|music|musik|concert|konser|fitness|gym|running|"
    "lari|cycling|sepeda|yoga|healthy|sehat|diet|vegan|bakso|sate|nasigoreng|rendang|"
    "martabak|seblak|soto|miayam|padang|medan|makassar|semarang|malang|bromo|ubud|"
    "canggu|seminyak|kuta|lombok|labuanbajo|komodo|rajaampat|danautoba|borobudur|"
    "prambanan|batik|budaya|culture|temple|candi|waterfall|airterjun|sawah|ricefield|"
    "island|pulau|snorkeling|diving|surfing|selancar|sunrise|goldenhour|cat|kucing|dog|"
    "anjing|pets|wedding|pernikahan|graduation|wisuda|ramadan|lebaran|mudik|bukapuasa|"
    "birthday|ulangtahun|throwback|tbt|mood|vibes|aesthetic|photooftheday|picoftheday|"
    "instadaily|nofilter|café|crèmebrûlée|açaí|rosé"
)
_TOPICS = _split(
    "kuliner|wisata|explore|info|visit|jajanan|pesona|cafe|kopi|hits|foodies|hidden|"
    "pantai|hotel|street|foto|event|loker|kost|promo"
)
_PLACES_FOR_TAGS = _split(
    "jakarta|bandung|surabaya|jogja|bali|medan|semarang|makassar|malang|bogor|depok|bekasi|"
    "tangerang|palembang|batam|pekanbaru|padang|manado|balikpapan|pontianak|banjarmasin|"
    "lombok|solo|ubud|canggu|denpasar|labuanbajo|toba|bromo|kuta|sleman|bantul|cirebon|"
    "tasikmalaya|garut|sukabumi|cianjur|purwokerto|tegal|pekalongan|kudus|jember|banyuwangi|"
    "kediri|madiun|probolinggo|pasuruan|sidoarjo|gresik|mojokerto|aceh|jambi|bengkulu|"
    "lampung|kupang|ambon|jayapura|sorong|ternate|palu|kendari|gorontalo|samarinda|tarakan"
)
_SUFFIXES = _split("|hits|terbaru|murah|enak|viral|lovers|gram|daily|story|trip|id|banget")


def _tag_vocabulary() -> tuple[str, ...]:
    """``TAG_COUNT`` distinct tags by popularity rank: real ones first, then combinations in a
    fixed shuffled order (independent of ``--seed``, so the load script knows the ranks)."""
    seen = dict.fromkeys(_REAL_TAGS)
    combos = [
        f"{topic}{place}{suffix}"
        for topic, place, suffix in itertools.product(_TOPICS, _PLACES_FOR_TAGS, _SUFFIXES)
    ]
    random.Random(20261202).shuffle(combos)
    for tag in combos:
        if len(seen) >= TAG_COUNT:
            break
        seen.setdefault(tag)
    return tuple(seen)


TAGS = _tag_vocabulary()


@dataclass(frozen=True, slots=True)
class City:
    name: str
    latitude: float
    longitude: float
    weight: float  # share of located posts (population plus tourism)
    sigma_km: float
    spots: tuple[str, ...]


_GENERIC_SPOTS = ("Alun-Alun", "Stasiun", "Pasar Besar", "Mall", "Taman Kota")
CITIES: tuple[City, ...] = (
    City(
        "Jakarta",
        -6.2088,
        106.8456,
        14.0,
        9.0,
        ("Monas", "Kota Tua", "Senayan", "Kemang", "Blok M"),
    ),
    City("Surabaya", -7.2575, 112.7521, 4.0, 6.0, ("Tunjungan", "Kenjeran", *_GENERIC_SPOTS[:3])),
    City("Bandung", -6.9175, 107.6191, 4.0, 5.0, ("Braga", "Dago", "Lembang", "Alun-Alun", "PVJ")),
    City(
        "Medan", 3.5952, 98.6722, 2.5, 6.0, ("Istana Maimun", "Merdeka Walk", *_GENERIC_SPOTS[2:])
    ),
    City("Bekasi", -6.2383, 106.9756, 2.0, 5.0, _GENERIC_SPOTS),
    City("Tangerang", -6.1783, 106.6319, 2.0, 5.0, ("BSD", "Alam Sutera", *_GENERIC_SPOTS[:3])),
    City("Depok", -6.4025, 106.7942, 1.5, 4.0, ("UI", "Margo City", *_GENERIC_SPOTS[:3])),
    City(
        "Semarang",
        -6.9667,
        110.4167,
        2.0,
        5.0,
        ("Lawang Sewu", "Simpang Lima", *_GENERIC_SPOTS[:3]),
    ),
    City("Palembang", -2.9761, 104.7754, 1.5, 5.0, ("Jembatan Ampera", *_GENERIC_SPOTS[:4])),
    City(
        "Makassar",
        -5.1477,
        119.4327,
        1.8,
        5.0,
        ("Pantai Losari", "Fort Rotterdam", *_GENERIC_SPOTS[:3]),
    ),
    City("Bogor", -6.5950, 106.8167, 1.5, 4.0, ("Kebun Raya", "Puncak", *_GENERIC_SPOTS[:3])),
    City("Batam", 1.0456, 104.0305, 1.0, 6.0, ("Jembatan Barelang", "Nagoya", *_GENERIC_SPOTS[:3])),
    City("Pekanbaru", 0.5071, 101.4478, 1.0, 5.0, _GENERIC_SPOTS),
    City(
        "Denpasar",
        -8.6705,
        115.2126,
        3.0,
        5.0,
        ("Sanur", "Renon", "Pasar Badung", "Alun-Alun", "Mall"),
    ),
    City(
        "Kuta",
        -8.7180,
        115.1686,
        3.0,
        2.5,
        ("Pantai Kuta", "Legian", "Beachwalk", "Jimbaran", "Tuban"),
    ),
    City(
        "Ubud",
        -8.5069,
        115.2625,
        2.5,
        2.5,
        ("Monkey Forest", "Tegallalang", "Campuhan", "Pasar Ubud", "Sayan"),
    ),
    City(
        "Canggu",
        -8.6478,
        115.1385,
        2.0,
        2.0,
        ("Echo Beach", "Batu Bolong", "Berawa", "Pererenan", "Tanah Lot"),
    ),
    City(
        "Yogyakarta",
        -7.7956,
        110.3695,
        3.0,
        4.0,
        ("Malioboro", "Keraton", "Tugu", "Prawirotaman", "Kaliurang"),
    ),
    City(
        "Magelang",
        -7.6079,
        110.2038,
        0.8,
        2.0,
        ("Candi Borobudur", "Punthuk Setumbu", *_GENERIC_SPOTS[:3]),
    ),
    City(
        "Malang", -7.9666, 112.6326, 1.5, 4.0, ("Batu", "Kampung Warna Warni", *_GENERIC_SPOTS[:3])
    ),
    City(
        "Bromo",
        -7.9425,
        112.9530,
        0.8,
        3.0,
        ("Penanjakan", "Pasir Berbisik", "Bukit Teletubbies", "Kawah Bromo", "Cemoro Lawang"),
    ),
    City(
        "Solo",
        -7.5755,
        110.8243,
        1.0,
        4.0,
        ("Keraton Surakarta", "Pasar Klewer", *_GENERIC_SPOTS[:3]),
    ),
    City(
        "Mataram",
        -8.5833,
        116.1167,
        1.0,
        6.0,
        ("Senggigi", "Gili Trawangan", "Kuta Mandalika", *_GENERIC_SPOTS[:2]),
    ),
    City(
        "Labuan Bajo",
        -8.4964,
        119.8877,
        0.8,
        3.0,
        ("Pulau Padar", "Pink Beach", "Bukit Sylvia", "Marina", "Pulau Komodo"),
    ),
    City("Manado", 1.4748, 124.8421, 0.7, 5.0, ("Bunaken", "Boulevard", *_GENERIC_SPOTS[:3])),
)
ASPECTS = ((1080, 1080), (1080, 1350), (1080, 810))

# ------------------------------------------------------------------------------ the data


@dataclass(slots=True)
class Account:
    id: UUID
    username: str
    display_name: str
    created_at: datetime
    is_private: bool
    avatar_id: UUID | None
    posts: int = 0


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


class Draw:
    """Weighted choices by bisection on cumulative weights (``random.choices`` per call would
    rebuild them each time)."""

    def __init__(self, rng: random.Random, weights: list[float]) -> None:
        self._rng = rng
        self._cum = _cumulative(weights)
        self._total = self._cum[-1]

    def one(self) -> int:
        return bisect_left(self._cum, self._rng.random() * self._total)


def accounts(args: argparse.Namespace, rng: random.Random, now: datetime) -> list[Account]:
    out = []
    for i in range(args.users):
        created = now - timedelta(days=rng.uniform(DAYS + 1, DAYS + 800))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        username = f"{first}.{last}{i}".lower().replace(" ", "")
        username = username.encode("ascii", "ignore").decode()  # José → jos
        out.append(
            Account(
                id=uuid7_at(created, rng),
                username=username,
                display_name=f"{first} {last}",
                created_at=created,
                is_private=rng.random() < args.private_share,
                avatar_id=(
                    uuid7_at(created + timedelta(minutes=5), rng)
                    if rng.random() < args.avatar_share
                    else None
                ),
            )
        )
    return out


def post_times(n: int, rng: random.Random, now: datetime) -> list[datetime]:
    """Ages with density ∝ ``exp(-age / GROWTH_DAYS)`` on ``[0, DAYS)`` (inverse CDF), oldest
    first: posts are copied in the order the app would have written them."""
    scale = 1.0 - math.exp(-DAYS / GROWTH_DAYS)
    ages = sorted(
        (-GROWTH_DAYS * math.log(1.0 - rng.random() * scale) for _ in range(n)), reverse=True
    )
    return [now - timedelta(days=age) for age in ages]


class Captions:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._tags = Draw(rng, [1.0 / (rank + 1 + ZIPF_OFFSET) for rank in range(len(TAGS))])
        self._limits = PostLimits()

    def make(self) -> tuple[str, list[str]]:
        rng = self._rng
        lang = rng.random()
        pools = (
            (ID_PHRASES,)
            if lang < 0.55
            else (EN_PHRASES,)
            if lang < 0.90
            else (ID_PHRASES, EN_PHRASES)
        )
        phrases = [rng.choice(rng.choice(pools)) for _ in range(rng.choice((1, 1, 2, 2, 2, 3)))]
        if rng.random() < 0.08:
            phrases.insert(rng.randrange(len(phrases) + 1), rng.choice(ACCENT_PHRASES))
        text = ". ".join(p[0].upper() + p[1:] for p in phrases)
        if rng.random() < 0.4:
            text += " " + rng.choice(EMOJI)
        n_tags = 0 if rng.random() < 0.08 else rng.choice((1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8))
        chosen = dict.fromkeys(TAGS[self._tags.one()] for _ in range(n_tags))
        if chosen:
            text += "\n\n" + " ".join(f"#{t}" for t in chosen)
        caption, tags, _ = parse_caption(text, self._limits)
        return caption, tags


class Places:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._cities = Draw(rng, [c.weight for c in CITIES])
        spots_rng = random.Random(7)  # fixed: the hot spots do not move with --seed
        self.spots = {
            c.name: [
                (
                    name,
                    c.latitude + spots_rng.gauss(0, c.sigma_km * 0.6) / 111.0,
                    c.longitude + spots_rng.gauss(0, c.sigma_km * 0.6) / 111.0,
                )
                for name in c.spots[:HOTSPOTS_PER_CITY]
            ]
            for c in CITIES
        }

    def make(self) -> tuple[str, float, float]:
        rng = self._rng
        city = CITIES[self._cities.one()]
        if rng.random() < HOTSPOT_SHARE:
            name, lat, lon = rng.choice(self.spots[city.name])
            sigma_km, label = 0.3, f"{name}, {city.name}"
        else:
            lat, lon, sigma_km = city.latitude, city.longitude, city.sigma_km
            label = city.name if rng.random() < 0.5 else f"{rng.choice(city.spots)}, {city.name}"
        cos_lat = math.cos(math.radians(lat))
        return (
            label,
            round(lat + rng.gauss(0, sigma_km) / 111.2, 6),
            round(lon + rng.gauss(0, sigma_km) / (111.2 * cos_lat), 6),
        )


def _variants(prefix: str, width: int, height: int) -> str:
    sizes = (
        ("thumb", 150, 150),
        ("small", 640, round(height * 640 / width)),
        ("large", width, height),
    )
    return json.dumps(
        [
            {
                "name": name,
                "width": w,
                "height": h,
                "key": f"{prefix}/{name}.jpg",
                "content_type": "image/jpeg",
            }
            for name, w, h in sizes
        ]
    )


def user_rows(
    users: list[Account], cipher: EmailCipher, password_hash: str
) -> Iterator[tuple[Any, ...]]:
    for u in users:
        email = f"{u.username}@search-bench.example.com"
        ciphertext, key_id = cipher.encrypt(email, context=u.id.bytes)
        yield (
            u.id,
            u.username,
            ciphertext,
            key_id,
            cipher.lookup_hash(email),
            password_hash,
            u.display_name,
            "",
            None,
            u.is_private,
            "user",
            "active",
            u.avatar_id,
            u.posts,
            0,
            0,
            u.created_at,
            u.created_at,
        )


def avatar_rows(users: list[Account], rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for u in users:
        if u.avatar_id is None:
            continue
        at = u.created_at + timedelta(minutes=5)
        variants = [
            {
                "name": name,
                "width": w,
                "height": w,
                "key": f"avatars/{u.id}/{u.avatar_id}/{name}.jpg",
                "content_type": "image/jpeg",
            }
            for name, w in (("small", 150), ("medium", 320), ("large", 640))
        ]
        yield (u.avatar_id, u.id, "image", "avatar", "ready", at, 640, 640,
               rng.choice(BLURHASHES), json.dumps(variants), None, None, None, None)  # fmt: skip


# ------------------------------------------------------------------------------ loading


@dataclass(slots=True)
class Stats:
    posts: int = 0
    located: int = 0
    tagged: int = 0
    tag_uses: int = 0
    accented: int = 0
    by_tag: dict[str, int] | None = None


async def copy_posts(
    conn: asyncpg.Connection,
    users: list[Account],
    authors: list[int],
    times: list[datetime],
    rng: random.Random,
) -> Stats:
    captions, places = Captions(rng), Places(rng)
    stats = Stats(by_tag={})
    posts: list[tuple[Any, ...]] = []
    media: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    progress = Progress("posts + media", len(times))

    async def flush() -> None:
        await conn.copy_records_to_table("posts", records=posts, columns=POST_COLUMNS)
        await conn.copy_records_to_table("media", records=media, columns=MEDIA_COLUMNS)
        await conn.copy_records_to_table(
            "post_media", records=links, columns=["id", "post_id", "media_id", "position"]
        )
        progress.advance(len(posts))
        for rows in (posts, media, links):
            rows.clear()

    assert stats.by_tag is not None
    for author_index, at in zip(authors, times, strict=True):
        author = users[author_index]
        caption, tags = captions.make()
        place: tuple[str | None, float | None, float | None] = (None, None, None)
        if rng.random() < PLACE_SHARE:
            place = places.make()
            stats.located += 1
        post_id = uuid7_at(at, rng)
        media_at = at - timedelta(seconds=30)
        media_id = uuid7_at(media_at, rng)
        width, height = rng.choice(ASPECTS)
        posts.append((post_id, author.id, caption, tags, [], [], *place, True, 0, 0, 0, at, None))
        media.append(
            (media_id, author.id, "image", "post", "ready", media_at, width, height,
             rng.choice(BLURHASHES), _variants(f"media/{author.id}/{media_id}", width, height),
             None, None, None, None)
        )  # fmt: skip
        links.append((uuid7_at(media_at, rng), post_id, media_id, 0))
        stats.posts += 1
        stats.tagged += bool(tags)
        stats.tag_uses += len(tags)
        stats.accented += any(ord(ch) > 127 and ch.isalpha() for ch in caption)
        if not author.is_private:
            for tag in tags:
                stats.by_tag[tag] = stats.by_tag.get(tag, 0) + 1
        if len(posts) >= BATCH:
            await flush()
    if posts:
        await flush()
    progress.close()
    return stats


async def sessions(
    conn: asyncpg.Connection,
    users: list[Account],
    settings: Settings,
    keys: KeyRing,
    args: argparse.Namespace,
    rng: random.Random,
) -> int:
    """A session, a live refresh token and an access token for each of the first accounts."""
    issuer = build_token_issuer(settings, keys)
    now = datetime.now(UTC)
    session_rows, refresh_rows, tokens = [], [], []
    for u in users[: args.sessions]:
        session_id = uuid7_at(now, rng)
        session_rows.append((session_id, u.id, now, None, None))
        digest = hashlib.sha256(secrets.token_urlsafe(32).encode()).digest()
        expires = now + timedelta(seconds=settings.accounts.refresh_token_ttl_s)
        refresh_rows.append((uuid7_at(now, rng), session_id, digest, now, expires, None))
        token, _ = issuer.issue_access_token(
            user_id=u.id, role=Role.USER, session_id=session_id, now=now
        )
        tokens.append(token)
    await copy(conn, "auth_sessions", ["id", "user_id", "created_at", "revoked_at",
               "revoke_reason"], session_rows, len(session_rows))  # fmt: skip
    await copy(conn, "refresh_tokens", ["id", "session_id", "token_hash", "created_at",
               "expires_at", "used_at"], refresh_rows, len(refresh_rows))  # fmt: skip
    path = Path(args.tokens_out)
    await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(path.write_text, "".join(f"{t}\n" for t in tokens))
    return len(tokens)


CHECKS = {
    "users.posts_count": "SELECT count(*) FROM users u WHERE posts_count <> "
    "(SELECT count(*) FROM posts p WHERE p.author_id = u.id)",
    "avatar references": "SELECT count(*) FROM users u WHERE avatar_media_id IS NOT NULL AND NOT "
    "EXISTS (SELECT 1 FROM media m WHERE m.id = u.avatar_media_id AND m.owner_id = u.id)",
    "post_media references": "SELECT count(*) FROM post_media pm "
    "WHERE NOT EXISTS (SELECT 1 FROM media m WHERE m.id = pm.media_id) "
    "OR NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = pm.post_id)",
    "posts without media": "SELECT count(*) FROM posts p WHERE NOT EXISTS "
    "(SELECT 1 FROM post_media pm WHERE pm.post_id = p.id)",
}


async def seed(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    await prepare_database(args.database_url, recreate=args.recreate, drop_only=args.drop)
    if args.drop:
        return
    print("migrating …")
    await asyncio.to_thread(migrations.upgrade, args.database_url)
    conn = await asyncpg.connect(plain_dsn(args.database_url))
    try:
        if await conn.fetchval("SELECT count(*) FROM users"):
            sys.exit("the database already has users: pass --recreate to start from scratch")
        settings = Settings.from_env(
            secret_key=args.secret, access_token_ttl_s=args.token_ttl_s, database_url=""
        )
        keys = KeyRing.from_settings(settings)
        cipher = EmailCipher(keys)
        hasher = build_hasher(settings)
        password_hash = await hasher.hash(args.password)
        hasher.close()

        rng = random.Random(args.seed)
        now = datetime.now(UTC).replace(microsecond=0)
        users = accounts(args, rng, now)
        activity = Draw(rng, [rng.lognormvariate(0, 1.3) for _ in users])
        authors = [activity.one() for _ in range(args.posts)]
        for i in authors:
            users[i].posts += 1
        times = post_times(args.posts, rng, now)

        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await copy(conn, "users", USER_COLUMNS, user_rows(users, cipher, password_hash),
                       len(users))  # fmt: skip
            avatars = sum(1 for u in users if u.avatar_id)
            await copy(conn, "media", MEDIA_COLUMNS, avatar_rows(users, rng), avatars,
                       "media (avatars)")  # fmt: skip
            stats = await copy_posts(conn, users, authors, times, rng)
            tokens = await sessions(conn, users, settings, keys, args, rng)
        print("VACUUM ANALYZE …")
        await conn.execute("VACUUM ANALYZE")
        bad = {name: await conn.fetchval(sql) for name, sql in CHECKS.items()}
        if any(bad.values()):
            sys.exit(f"seed check failed (rows that disagree): {bad}")
        print(f"checks: {len(CHECKS)} passed (counters match their rows, references hold)")
        report(users, stats, tokens, args)
    finally:
        await conn.close()
    print(f"seeded in {time.perf_counter() - started:.1f} s")


def report(users: list[Account], stats: Stats, tokens: int, args: argparse.Namespace) -> None:
    per_user = sorted(u.posts for u in users)
    private = sum(u.is_private for u in users)
    print(
        f"users {len(users):,} ({private:,} private); posts per user: median "
        f"{per_user[len(per_user) // 2]}, max {per_user[-1]:,}"
    )
    print(
        f"posts {stats.posts:,} over {DAYS} days, each with 1 ready image; with a place "
        f"{stats.located:,} ({stats.located / stats.posts:.0%}); with tags {stats.tagged:,} "
        f"({stats.tagged / stats.posts:.0%}), {stats.tag_uses / stats.posts:.2f} tags a post; "
        f"accented captions {stats.accented:,}"
    )
    by_tag = sorted((stats.by_tag or {}).items(), key=lambda kv: -kv[1])
    head = ", ".join(f"{t} {n:,}" for t, n in by_tag[:5])
    print(
        f"distinct tags {len(by_tag):,} (vocabulary {len(TAGS):,}); public posts of the top "
        f"tags: {head}; rank 100: {by_tag[99][1]:,}, rank 1000: {by_tag[999][1]:,}, last: "
        f"{by_tag[-1][1]:,}"
    )
    print(f"sessions {tokens:,}: access tokens in {args.tokens_out} (valid {args.token_ttl_s:,} s)")
    print("build the index with `social reindex` (see docs/benchmarks.md)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--secret", default=DEFAULT_SECRET, help="the server's SOCIAL_SECRET_KEY")
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--private-share", type=float, default=0.05)
    parser.add_argument("--avatar-share", type=float, default=0.6)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--token-ttl-s", type=int, default=6 * 3600)
    parser.add_argument("--tokens-out", default=DEFAULT_TOKENS)
    parser.add_argument("--recreate", action="store_true", help="drop the database first")
    parser.add_argument("--drop", action="store_true", help="only drop the database")
    args = parser.parse_args()
    if len(args.secret.encode()) < 32:
        parser.error("--secret must be at least 32 bytes")
    if args.sessions > args.users:
        parser.error("--sessions cannot exceed --users")
    asyncio.run(seed(args))


if __name__ == "__main__":
    main()
