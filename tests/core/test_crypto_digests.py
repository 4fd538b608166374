"""Keyed lookup digests (core.crypto.lookup_digest): the same value always gives the same digest, and a process
that issues many accounts' initial passwords keeps no memory of each (a purpose per account number)."""

from __future__ import annotations

import hashlib
import hmac

from renrentong.core import crypto


def test_many_purposes_keep_a_bounded_cache_and_the_same_digests():
    digests = [crypto.lookup_digest(f"initial:{60_000_000 + n}", "Pass-1234") for n in range(5_000)]
    assert crypto._keyed.cache_info().currsize <= 64
    # Evicted or not, a purpose's digest is the keyed HMAC of purpose, NUL and value, as stored digests were made.
    key = crypto._lookup_key()
    for n in (0, 4_999):
        expected = hmac.new(key, f"initial:{60_000_000 + n}\x00Pass-1234".encode(), hashlib.sha256).hexdigest()
        assert digests[n] == expected == crypto.lookup_digest(f"initial:{60_000_000 + n}", "Pass-1234")
