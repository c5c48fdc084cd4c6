"""Quality and speed checks that run outside the test suite."""
