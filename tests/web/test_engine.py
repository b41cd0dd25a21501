"""The engine's bounded caches: least recently used out first, sizes counted, hits and misses."""

from __future__ import annotations

from koldioxidbudget.web.engine import LRU


def test_lru_bytes_evicts_least_recently_used_and_stays_under_bound() -> None:
    cache: LRU[str, bytes] = LRU(max_bytes=100)
    for k in "abcd":
        cache.put(k, k.encode() * 30, 30)
    assert cache.get("a") is None  # 120 bytes asked for: the oldest went
    assert cache.get("b") == b"b" * 30  # now the most recently used
    cache.put("e", b"e" * 30, 30)
    assert cache.get("c") is None and cache.get("b") is not None
    assert len(cache) == 3 and cache.nbytes == 90 <= 100
    assert (cache.hits, cache.misses) == (2, 2)


def test_lru_bytes_oversize_value_is_not_kept() -> None:
    cache: LRU[str, bytes] = LRU(max_bytes=100)
    cache.put("a", b"a", 1)
    cache.put("big", b"x" * 101, 101)
    assert cache.get("big") is None and cache.get("a") == b"a"
    cache.put("a", b"x" * 101, 101)  # a too large new value drops the key's older one
    assert cache.get("a") is None and len(cache) == 0 and cache.nbytes == 0


def test_lru_items_evicts_least_recently_used() -> None:
    cache: LRU[int, str] = LRU(max_items=3)
    for i in range(3):
        cache.put(i, str(i))
    cache.get(0)
    cache.put(3, "3")
    assert [cache.get(i) for i in range(4)] == ["0", None, "2", "3"]
    assert len(cache) == 3
