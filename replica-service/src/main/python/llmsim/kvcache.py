"""Paged KV cache with prefix caching (vLLM V1 `BlockPool` + `KVCacheManager`, simplified).

Blocks hold `block_size` tokens; block 0 is the reserved null block. Full blocks are identified
by a chained hash (parent hash, token ids), so equal prefixes map to equal hashes. Freed blocks
keep their hash in an LRU free queue and are only forgotten when they are reused; a lookup that
hits a free block takes it back.
"""

from collections import OrderedDict

from .sequence import Sequence

_NO_PARENT = 0


class KvCache:
    """Block allocation, freeing and prefix-cache lookup for all sequences of one engine."""

    def __init__(self, num_blocks: int, block_size: int, enable_prefix_caching: bool):
        self.num_blocks = num_blocks
        self.block_size = block_size
        self.prefix_caching = enable_prefix_caching
        self._ref_count = [0] * num_blocks
        self._hash_of: list[int | None] = [None] * num_blocks
        self._cached: dict[int, int] = {}            # block hash -> block id
        self._free: OrderedDict[int, None] = OrderedDict((block, None) for block in range(1, num_blocks))

    @property
    def num_free(self) -> int:
        return len(self._free)

    def usage(self) -> float:
        """vllm:kv_cache_usage_perc; cached-but-unreferenced blocks count as free."""
        return 1.0 - len(self._free) / (self.num_blocks - 1)

    def lookup(self, seq: Sequence) -> list[int]:
        """Blocks that already hold a prefix of `seq`; never the whole sequence (the last token is recomputed)."""
        if not self.prefix_caching:
            return []
        max_blocks = (seq.num_tokens - 1) // self.block_size
        self._extend_hashes(seq, max_blocks)
        hits = []
        for block_hash in seq.block_hashes[:max_blocks]:
            block = self._cached.get(block_hash)
            if block is None:
                break
            hits.append(block)
        return hits

    def allocate(self, seq: Sequence, num_new_tokens: int, hit_blocks: list[int] = ()) -> bool:
        """Give `seq` room for `num_new_tokens` more computed tokens (after adopting `hit_blocks`)."""
        total = seq.num_computed + len(hit_blocks) * self.block_size + num_new_tokens
        needed = -(-total // self.block_size) - len(seq.blocks) - len(hit_blocks)
        revived = sum(1 for block in hit_blocks if self._ref_count[block] == 0)
        if needed + revived > len(self._free):
            return False
        for block in hit_blocks:
            self._take(block)
        seq.blocks.extend(hit_blocks)
        seq.num_hashed_blocks = len(seq.blocks)
        for _ in range(needed):
            seq.blocks.append(self._pop_free())
        return True

    def cache_full_blocks(self, seq: Sequence) -> None:
        """Publish the hashes of blocks `seq` has completely computed (prompt or decode)."""
        full = min(seq.num_computed // self.block_size, len(seq.blocks))
        if not self.prefix_caching or full <= seq.num_hashed_blocks:
            return
        self._extend_hashes(seq, full)
        for index in range(seq.num_hashed_blocks, full):
            block, block_hash = seq.blocks[index], seq.block_hashes[index]
            if block_hash not in self._cached and self._hash_of[block] is None:
                self._cached[block_hash] = block
                self._hash_of[block] = block_hash
        seq.num_hashed_blocks = full

    def free(self, seq: Sequence) -> None:
        """Release every block of `seq`, last block first, so that its tail is evicted first."""
        for block in reversed(seq.blocks):
            self._ref_count[block] -= 1
            if self._ref_count[block] == 0:
                self._free[block] = None
        seq.blocks = []
        seq.num_hashed_blocks = 0

    def _extend_hashes(self, seq: Sequence, num_blocks: int) -> None:
        hashes, size, tokens = seq.block_hashes, self.block_size, seq.token_ids
        parent = hashes[-1] if hashes else _NO_PARENT
        for index in range(len(hashes), num_blocks):
            parent = hash((parent, tuple(tokens[index * size:(index + 1) * size])))
            hashes.append(parent)

    def _take(self, block: int) -> None:
        if self._ref_count[block] == 0:
            del self._free[block]
        self._ref_count[block] += 1

    def _pop_free(self) -> int:
        block, _ = self._free.popitem(last=False)
        block_hash = self._hash_of[block]
        if block_hash is not None:
            self._hash_of[block] = None
            if self._cached.get(block_hash) == block:
                del self._cached[block_hash]
        self._ref_count[block] = 1
        return block
