"""Header-level metadata of audio and video files, read lazily through the file object.

Which library reads what:

* mutagen: MP3, MP4/M4A/MOV audio tracks (AAC, ALAC, ...), WAVE, FLAC, Ogg (Opus, Vorbis, FLAC, Speex),
  AIFF, ADTS AAC, AC-3, ASF/WMA: duration, audio codec, bitrate, sample rate, channels.
* hachoir: the video track of MP4/MOV (display width/height from the track header, codec from the sample
  description) and its movie duration; every container mutagen does not know, notably Matroska/WebM, AVI,
  FLV and MPEG (tracks, codecs, dimensions, duration).

Both libraries take the file object itself and seek past media data (the MP4 `mdat`, Matroska clusters,
WAVE `data`), so on a lazy S3 object only headers are fetched. One caveat: mutagen finds an Ogg duration
in the last page, and when the final 64 KiB hold none it scans the file page by page (streaming, not
buffering) — a hostile Ogg file can therefore cost a full read.

Result keys (unknown ones are omitted): `format` (container), `duration` (s, 3 dp), `codec`, `bitrate`
(bit/s), `sample_rate` (Hz), `channels`, and for files with a video track `dimensions` (`width`, `height`,
`aspect_ratio`, as for images), `video_codec`, `audio_codec` (when there is audio). `codec` is the video
codec when there is video, the audio codec otherwise; `bitrate` is then the container's average (size /
duration) rather than the audio track's. Video codecs are MP4 sample-entry four-character codes (`avc1`,
`hvc1`, `av01`, `vp09`) or, for Matroska, short names (`avc1`, `hevc`, `vp8`, `vp9`, `av1`).
"""

from __future__ import annotations

from typing import Any, BinaryIO

import mutagen
from hachoir.core import config as hachoir_config
from hachoir.core.log import log as hachoir_log
from hachoir.metadata import extractMetadata
from hachoir.metadata.metadata import Metadata, MultipleMetadata
from hachoir.parser import guessParser
from hachoir.parser.container.mp4 import MP4File
from hachoir.stream import InputIOStream
from mutagen.aac import AAC
from mutagen.ac3 import AC3
from mutagen.aiff import AIFF
from mutagen.asf import ASF
from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

hachoir_config.quiet = True
hachoir_log.use_print = False
"""hachoir prints warnings about every odd field to stdout: keep them out of the Lambda logs."""

_MUTAGEN_FORMATS: dict[type[mutagen.FileType], str] = {
    MP3: "MP3",
    MP4: "MP4",
    WAVE: "WAVE",
    FLAC: "FLAC",
    OggOpus: "Ogg Opus",
    OggVorbis: "Ogg Vorbis",
    OggFLAC: "Ogg FLAC",
    OggSpeex: "Ogg Speex",
    AIFF: "AIFF",
    AAC: "AAC",
    AC3: "AC-3",
    ASF: "ASF",
}
_FIXED_CODECS = {OggOpus: "opus", OggVorbis: "vorbis", OggFLAC: "flac", OggSpeex: "speex", FLAC: "flac", AAC: "aac"}
_WAVE_CODECS = {1: "pcm_s{bits}le", 3: "pcm_f{bits}le", 6: "pcm_alaw", 7: "pcm_mulaw", 0x55: "mp3"}
_MATROSKA_CODECS = {
    "V_MPEG4/ISO/AVC": "avc1",
    "V_MPEGH/ISO/HEVC": "hevc",
    "V_VP8": "vp8",
    "V_VP9": "vp9",
    "V_AV1": "av1",
    "A_OPUS": "opus",
    "A_VORBIS": "vorbis",
    "A_AAC": "aac",
    "A_FLAC": "flac",
    "A_MPEG/L3": "mp3",
    "A_AC3": "ac3",
    "A_EAC3": "eac3",
}
_HACHOIR_FORMATS = {"video/webm": "WebM", "video/x-matroska": "Matroska", "video/quicktime": "MOV"}


def header(file: BinaryIO, content_type: str) -> dict[str, Any]:
    """Container, duration, codecs and stream parameters; raise ValueError when no library knows the file."""
    file.seek(0)
    audio = mutagen.File(file, options=list(_MUTAGEN_FORMATS))
    if audio is not None and not isinstance(audio, MP4):
        return _drop_none(_mutagen_info(audio))
    result = _mutagen_info(audio) if audio is not None else {}
    video = _mp4_video(file) if audio is not None else _hachoir_info(file)
    if video is None and audio is None:
        raise ValueError(f"unrecognised {content_type} file")
    if video is not None:
        result = _merge_video(result, video, _size(file))
    if content_type == "video/quicktime":
        result["format"] = "MOV"
    return _drop_none(result)


def _mutagen_info(audio: mutagen.FileType) -> dict[str, Any]:
    info = audio.info
    return {
        "format": _MUTAGEN_FORMATS[type(audio)],
        "duration": _seconds(getattr(info, "length", None)),
        "codec": _audio_codec(audio),
        "bitrate": getattr(info, "bitrate", None) or None,
        "sample_rate": getattr(info, "sample_rate", None) or (48000 if isinstance(audio, OggOpus) else None),
        "channels": getattr(info, "channels", None) or None,
    }


def _audio_codec(audio: mutagen.FileType) -> str | None:
    info = audio.info
    if isinstance(audio, MP3):
        return f"mp{info.layer}"
    if isinstance(audio, MP4):
        codec = info.codec
        if codec in ("mp4a.6B", "mp4a.69"):
            return "mp3"
        return "aac" if codec.startswith("mp4a") else codec or None
    if isinstance(audio, WAVE):
        template = _WAVE_CODECS.get(info.audio_format)
        return template.format(bits=info.bits_per_sample) if template else None
    if isinstance(audio, AC3):
        return info.codec
    return _FIXED_CODECS.get(type(audio))


def _mp4_video(file: BinaryIO) -> dict[str, Any] | None:
    """The first video track of an MP4/MOV file and the movie duration, or None when it has no video."""
    file.seek(0)
    movie = MP4File(InputIOStream(file))
    duration, video = None, None
    for atom in movie:
        if "movie" not in atom:
            continue
        for child in atom["movie"]:
            if "movie_hdr" in child:
                header_ = child["movie_hdr"]
                duration = header_["duration"].value / header_["time_scale"].value
            elif "track" in child and video is None:
                video = _mp4_video_track(child["track"])
        break
    if video is not None:
        video["duration"] = _seconds(duration)
    return video


def _mp4_video_track(track: Any) -> dict[str, Any] | None:
    fields: dict[str, Any] = {}
    for child in track:
        if "track_hdr" in child:
            fields["width"] = int(child["track_hdr/frame_size_width"].value) or None
            fields["height"] = int(child["track_hdr/frame_size_height"].value) or None
        elif "media" in child:
            media = child["media"]
            handlers = [atom["hdlr/subtype"].value for atom in media if "hdlr" in atom]
            if "vide" not in handlers:
                return None
            entry = _find(media, ("minf", "stbl", "stsd"))
            if entry is not None and "sample_entry[0]/format" in entry:
                fields["video_codec"] = entry["sample_entry[0]/format"].value.decode("latin-1").strip() or None
    return fields


def _find(container: Any, path: tuple[str, ...]) -> Any:
    """Follow MP4 atom names down the hachoir tree (each atom wraps one named field set)."""
    for name in path:
        container = next((atom[name] for atom in container if name in atom), None)
        if container is None:
            return None
    return container


def _hachoir_info(file: BinaryIO) -> dict[str, Any] | None:
    """Generic hachoir metadata: Matroska/WebM, AVI, FLV, MPEG and whatever else it parses."""
    file.seek(0)
    parser = guessParser(InputIOStream(file))
    if parser is None:
        return None
    metadata = extractMetadata(parser)
    if not metadata:
        return None
    groups = list(metadata.iterGroups()) if isinstance(metadata, MultipleMetadata) else []
    video = next((group for group in groups if group.has("width")), metadata)
    audio = next((group for group in groups if group.has("sample_rate")), metadata)
    duration = metadata.get("duration")
    return {
        "format": _HACHOIR_FORMATS.get(parser.mime_type, parser.PARSER_TAGS["id"].upper()),
        "duration": _seconds(duration.total_seconds() if duration else None),
        "width": video.get("width"),
        "height": video.get("height"),
        "video_codec": _hachoir_codec(video) if video.has("width") else None,
        "audio_codec": _hachoir_codec(audio) if audio.has("sample_rate") else None,
        "sample_rate": int(audio.get("sample_rate")) if audio.has("sample_rate") else None,
        "channels": audio.get("nb_channel"),
    }


def _hachoir_codec(metadata: Metadata) -> str | None:
    codec = metadata.get("compression")
    if not isinstance(codec, str):
        return None
    return _MATROSKA_CODECS.get(codec, codec.split("_", 1)[-1].lower())


def _merge_video(audio: dict[str, Any], video: dict[str, Any], size: int) -> dict[str, Any]:
    """Combine audio-track facts with container/video facts; video wins on format, duration and codec."""
    audio_codec = video.get("audio_codec") or audio.get("codec")
    merged = {**audio, **{key: value for key, value in video.items() if value is not None}}
    merged["audio_codec"] = audio_codec
    width, height = merged.pop("width", None), merged.pop("height", None)
    if width:
        merged["codec"] = video.get("video_codec")
        duration = merged.get("duration")
        merged["bitrate"] = round(size * 8 / duration) if duration else None
        if height:
            merged["dimensions"] = {"width": width, "height": height, "aspect_ratio": round(width / height, 4)}
    else:
        merged["codec"] = audio_codec
        merged.pop("video_codec", None)
        merged.pop("audio_codec")
    return merged


def _size(file: BinaryIO) -> int:
    return file.seek(0, 2)


def _seconds(value: float | None) -> float | None:
    return round(value, 3) if value and value > 0 else None


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
