"""The SASRec recommender: data, model, training, evaluation and serving.

Modules (import what you need; nothing heavy is imported here):
    config      SASRecConfig, every hyperparameter documented
    vocabulary  product ids <-> dense item indices (0 = padding)
    data        per-user sequences, leave-one-out split, training windows
    model       the SASRec transformer
    training    seeded training with early stopping on validation NDCG@10
    metrics, baselines, evaluate
                full-ranking and sampled HR@10 / NDCG@10, popularity and item-kNN
    registry    save / load SASRec checkpoints in the model registry
    predictor   batched top-k serving with exclusions
"""
