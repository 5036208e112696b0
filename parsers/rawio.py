"""The one shape every stream wrapper of the readers shares: a raw reader over another binary stream.

Member streams are layered (a zip window, inflated, checked, limited, watched for progress, guarded
for JSON limits); each layer is an `InnerStream` that says only what it does with the bytes.
"""
from __future__ import annotations

import io
from typing import IO


class InnerStream(io.RawIOBase):
    """A readable raw stream over `inner` that closes `inner` with itself."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner
        self._inner_readinto = getattr(inner, "readinto", None)

    def readable(self) -> bool:
        return True

    def read_inner(self, buffer) -> int:
        """Fill `buffer` from the inner stream (through its readinto when it has one); the byte count."""
        if self._inner_readinto is not None:
            return self._inner_readinto(buffer) or 0
        data = self._inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n

    def close(self) -> None:
        if not self.closed:
            try:
                self._inner.close()
            finally:
                super().close()
