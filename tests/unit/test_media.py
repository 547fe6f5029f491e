from __future__ import annotations

import io
import os
import struct
import time
import wave
from pathlib import Path

import pytest

from functions.services.media import header
from tests.documents import CountingReader

CORPUS = Path(__file__).parent.parent / "corpus"
AUDIO = {"channels": 1, "duration": 1.5}
VIDEO = {
    "dimensions": {"width": 64, "height": 48, "aspect_ratio": 1.3333},
    "duration": 1.5,
    "video_codec": "avc1",
    "audio_codec": "aac",
}


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("tone.mp3", "audio/mpeg", {**AUDIO, "format": "MP3", "codec": "mp3", "sample_rate": 44100}),
        ("tone.m4a", "audio/mp4", {**AUDIO, "format": "MP4", "codec": "aac", "sample_rate": 44100, "channels": 2}),
        ("tone.wav", "audio/x-wav", {**AUDIO, "format": "WAVE", "codec": "pcm_s16le", "sample_rate": 8000}),
        (
            "tone.opus",
            "audio/ogg",
            {**AUDIO, "format": "Ogg Opus", "codec": "opus", "sample_rate": 48000, "channels": 2},
        ),
        ("tone.ogg", "audio/ogg", {**AUDIO, "format": "Ogg Vorbis", "codec": "vorbis", "sample_rate": 44100}),
        ("tone.flac", "audio/x-flac", {**AUDIO, "format": "FLAC", "codec": "flac", "sample_rate": 16000}),
        ("clip.mp4", "video/mp4", {**VIDEO, "format": "MP4", "codec": "avc1", "sample_rate": 44100, "channels": 2}),
        (
            "clip.mov",
            "video/quicktime",
            {**VIDEO, "format": "MOV", "codec": "avc1", "sample_rate": 44100, "channels": 1},
        ),
        (
            "clip.webm",
            "video/webm",
            {
                **VIDEO,
                "format": "WebM",
                "codec": "vp9",
                "video_codec": "vp9",
                "audio_codec": "opus",
                "sample_rate": 48000,
            },
        ),
        (
            "clip-vp8.webm",
            "video/webm",
            {
                **VIDEO,
                "format": "WebM",
                "codec": "vp8",
                "video_codec": "vp8",
                "audio_codec": "vorbis",
                "sample_rate": 48000,
            },
        ),
    ],
)
def test_reads_what_was_generated(name: str, content_type: str, expected: dict[str, object]) -> None:
    result = header(io.BytesIO((CORPUS / name).read_bytes()), content_type)

    assert result["duration"] == pytest.approx(expected.pop("duration"), abs=0.05)
    assert {key: result.get(key) for key in expected} == expected
    assert isinstance(result["bitrate"], int)
    assert result["bitrate"] > 0
    if "dimensions" not in expected:
        assert "dimensions" not in result
        assert "video_codec" not in result


def test_mp4_header_skips_media_data() -> None:
    data = (CORPUS / "clip.mp4").read_bytes()
    ftyp_size = struct.unpack(">I", data[:4])[0]
    padding = 6 * 1024 * 1024
    padded = data[:ftyp_size] + struct.pack(">I4s", padding + 8, b"free") + bytes(padding) + data[ftyp_size:]
    file = CountingReader(padded)

    result = header(file, "video/mp4")

    assert result["dimensions"] == {"width": 64, "height": 48, "aspect_ratio": 1.3333}
    assert file.bytes_read < 64 * 1024 < len(padded)


def test_wave_header_skips_samples() -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(22050)
        writer.writeframes(bytes(22050 * 4 * 60))
    file = CountingReader(buffer.getvalue())

    result = header(file, "audio/x-wav")

    assert result["duration"] == pytest.approx(60)
    assert (result["channels"], result["sample_rate"]) == (2, 22050)
    assert file.bytes_read < 4096 < file.size


def test_unknown_bytes_raise() -> None:
    with pytest.raises(ValueError, match="unrecognised"):
        header(io.BytesIO(b"definitely not a media file\n" * 200), "audio/mpeg")


def _mp4_atom(kind: bytes, payload: bytes, size: int | None = None) -> bytes:
    return struct.pack(">I4s", len(payload) + 8 if size is None else size, kind) + payload


FTYP = _mp4_atom(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41")
CLIP = (CORPUS / "clip.mp4").read_bytes()


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        pytest.param("video/mp4", CLIP[: len(CLIP) // 2], id="truncated-mp4"),
        pytest.param("video/mp4", CLIP[: len(CLIP) - 300], id="truncated-moov"),
        pytest.param("video/mp4", FTYP + _mp4_atom(b"moov", b"", size=0xFFFFFFFF) + os.urandom(2048), id="huge-atom"),
        pytest.param("video/mp4", FTYP + _mp4_atom(b"moov", b"", size=0) + bytes(2048), id="zero-size-atom"),
        pytest.param("video/mp4", FTYP + _mp4_atom(b"moov", _mp4_atom(b"trak", b"", size=8) * 500), id="empty-atoms"),
        pytest.param("audio/mpeg", b"ID3\x03\x00\x00\x00\x00\x00\x00" + os.urandom(512 * 1024), id="id3-then-noise"),
        pytest.param("video/webm", b"\x1a\x45\xdf\xa3" + os.urandom(64 * 1024), id="ebml-then-noise"),
        pytest.param("audio/ogg", b"OggS" + os.urandom(64 * 1024), id="oggs-then-noise"),
    ],
)
def test_hostile_input_fails_fast(content_type: str, data: bytes) -> None:
    started = time.monotonic()
    try:
        result = header(io.BytesIO(data), content_type)
    except Exception:  # any exception is an acceptable outcome; hanging is not
        result = None
    assert time.monotonic() - started < 2
    assert result is None or isinstance(result, dict)
