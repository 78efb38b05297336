"""Deliberately broken and faulty rap/1 implementations, and how the tests run them."""
