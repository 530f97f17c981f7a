"""Salesforce-style record ids: a 3-character key prefix, 15 case-sensitive characters, and
the 3-character case-insensitivity suffix that makes the 18-character form."""

from __future__ import annotations

import threading

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
ORG_ID = "00D8d000000AwSbEAK"  # fixed org and integration user of the sandbox
USER_ID = "0058d000000AwSbAAK"


def to_18(id15: str) -> str:
    """The 18-character form of a 15-character id (Salesforce's checksum algorithm)."""
    if len(id15) != 15:
        raise ValueError(f"expected a 15-character id, got {id15!r}")
    suffix = ""
    for chunk_start in range(0, 15, 5):
        chunk = id15[chunk_start : chunk_start + 5]
        flags = sum(1 << bit for bit, char in enumerate(chunk) if "A" <= char <= "Z")
        suffix += _SUFFIX_ALPHABET[flags]
    return id15 + suffix


def normalize_id(value: str) -> str | None:
    """An 18-character id from a 15- or 18-character one, or None if it is not id-shaped."""
    if len(value) == 15 and value.isalnum():
        return to_18(value)
    if len(value) == 18 and value.isalnum() and to_18(value[:15]) == value:
        return value
    return None


def _base62(number: int, width: int) -> str:
    digits = ""
    while number:
        number, remainder = divmod(number, 62)
        digits = BASE62[remainder] + digits
    return digits.rjust(width, "0")


class IdFactory:
    """Hands out new ids per key prefix; counters never restart, so ids are never reused."""

    def __init__(self, pod: str = "8d") -> None:
        self._pod = pod
        self._counters: dict[str, int] = {}
        self._lock = threading.Lock()

    def new(self, key_prefix: str) -> str:
        with self._lock:
            number = self._counters.get(key_prefix, 0) + 1
            self._counters[key_prefix] = number
        # Multiplying by a number coprime to 62 permutes 0..62**9-1: ids stay unique but look
        # scattered over the alphabet, with mixed case, like real ones.
        scrambled = (number * 0x5DEECE66D) % (62**9)
        return to_18(f"{key_prefix}{self._pod}0{_base62(scrambled, 9)}")
