"""rap/1 servers: the reference engine over stdio (NDJSON) and over HTTP.

Both are thin: parsing, dispatch and serialization live in :mod:`sim.rap.envelope`, so the two
transports give byte-identical answers to the same requests.
"""
