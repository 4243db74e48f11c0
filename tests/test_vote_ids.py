import numpy as np

from arena.domain.vote_ids import pack_vote_ids, unpack_vote_ids


def test_packed_vote_ids_come_back_sorted_and_once_each():
    given = [9, 3, 3, 7, 1, 9, 2**40]
    assert unpack_vote_ids(pack_vote_ids(given)).tolist() == [1, 3, 7, 9, 2**40]
    small = np.array([5, 2, 5, 4], dtype=np.int32)
    assert unpack_vote_ids(pack_vote_ids(small)).tolist() == [2, 4, 5]


def test_no_vote_ids_pack_to_an_empty_list():
    assert unpack_vote_ids(pack_vote_ids([])).tolist() == []


def test_nearly_sorted_ids_as_a_snapshot_reads_them_pack_like_sorted_ones():
    rng = np.random.default_rng(3)
    ids = np.arange(1, 200_001, dtype=np.int64)
    swap = rng.integers(0, len(ids) - 1, 500)
    ids[swap], ids[swap + 1] = ids[swap + 1], ids[swap]
    assert pack_vote_ids(ids) == pack_vote_ids(np.arange(1, 200_001))
