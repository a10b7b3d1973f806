"""Build machinery of The Gradient Book: runs snippets, caches their output, renders pages."""
