"""The book's one engine for trained sweeps: many small networks trained at once.

Each experiment page shows a short Keras reference that trains one configuration for one
seed.  To train many seeds (and configurations) cheaply, the sweeps stack those networks
along a leading "member" axis and run hand-written forward and backward passes in
``keras.ops`` (TensorFlow or JAX backend), one compiled loop per epoch:

- ``stacked``: sigmoid/ReLU MLPs with sigmoid outputs and cross-entropy (chain-rule chapter);
- ``deep``: deep MLPs of one activation family with softmax outputs (activations, initialization);
- ``bn``: MLPs with or without batch normalization (batch-norm chapter);
- ``mnist``: the MNIST loader (offline copy, hash-checked);
- ``common``: the backend switch and small helpers.

Tests prove each sweep equal to its reference, step for step (``tests/test_equivalence.py``).
Checkpoints, progress and records belong to the runner (``python -m buildbook run``).
"""
