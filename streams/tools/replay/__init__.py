"""Replay real shop traffic: MovieLens-100k and clothing reviews as ShopStream input events.

``events.build_replay`` turns the datasets into events (pure, deterministic),
``producer.produce`` sends them to Kafka, ``run.run_replay`` does both with the
project's settings. Import the submodules directly; this package imports nothing
so that the pure parts load without aiokafka.
"""
