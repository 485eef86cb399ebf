"""The rules of batches and photos: states, transitions, snapshots. Plain Python, no Qt."""
