"""Differential random testing: the reference engine and another rap/1 implementation side by
side, on generated command streams, compared by the contract's rules.

``generation`` makes the streams (a Hypothesis state machine), ``compare`` says whether two
answers agree at a level, ``pairing`` sends one request to both sides (mapping Amazon RMAs),
``shrinking`` drives Hypothesis with a budget and keeps the minimal failing stream, ``kept``
reads and writes kept cases, ``transcript`` renders them for people and ``replay`` runs a kept
case or a ``run --trace`` file against any implementation.
"""
