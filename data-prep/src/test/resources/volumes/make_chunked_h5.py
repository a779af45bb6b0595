# Generates chunked.h5, the one HDF5 fixture the tests cannot write themselves: jhdf 0.9.4 only writes
# contiguous datasets. Run with h5py (Debian: python3-h5py): python3 make_chunked_h5.py
# Values follow Hdf5ChunkedFixture.value(...) in the tests, so they are checked by formula, not by copy.
import numpy as np
import h5py

def index_grid(shape):
    t, c, z, y, x = np.indices(shape)
    return (((t * 2 + c) * 8 + z) * 8 + y) * 8 + x

shape = (3, 2, 4, 5, 6)
idx = index_grid(shape)
with h5py.File("chunked.h5", "w", track_order=False) as f:
    g = f.create_group("fields")
    # chunks straddle every axis unevenly, so edge chunks are partial
    g.create_dataset("u", data=(idx * 0.5 - 100).astype("<f4"), chunks=(1, 1, 3, 2, 4), compression="gzip")
    # big-endian, shuffled, each chunk spans two time steps
    g.create_dataset("p", data=(idx - 500).astype(">i2"), chunks=(2, 2, 4, 5, 6), shuffle=True,
                     compression="gzip")
    # only step 0 written: step 1's chunks are never allocated and read as the fill value
    part = f.create_dataset("partial", shape=(2, 1, 4, 4, 4), dtype="<f4", chunks=(1, 1, 2, 2, 2), fillvalue=-7)
    part[0] = (index_grid((1, 1, 4, 4, 4)) * 0.25).astype("<f4")
