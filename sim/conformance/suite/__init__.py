"""The test module pytest collects when ``returns-sim conform`` runs the packaged features."""
