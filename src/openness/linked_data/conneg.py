"""HTTP content negotiation: pick the media type a client prefers among those a resource offers."""

from __future__ import annotations

from collections.abc import Sequence


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values (malformed q counts as 0)."""
    out = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q))
    return out


def _quality(media: str, ranges: Sequence[tuple[str, float]]) -> float:
    """The q-value of the most specific range that matches `media` (RFC 9110, 12.5.1)."""
    kind = media.split("/")[0]
    best, specificity = 0.0, -1
    for given, q in ranges:
        if given == media:
            level = 2
        elif given == f"{kind}/*":
            level = 1
        elif given == "*/*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def negotiate(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered type the client prefers (ties go to the order offered), or None if none is acceptable."""
    if not header or not header.strip():
        return offered[0] if offered else None
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for media in offered:
        q = _quality(media, ranges)
        if q > best_q:
            best, best_q = media, q
    return best
