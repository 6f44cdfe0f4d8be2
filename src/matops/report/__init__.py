"""Reports from results documents: comparison between scans, merging, rendering, manifest."""
