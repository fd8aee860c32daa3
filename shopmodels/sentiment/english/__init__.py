"""English review sentiment: MiniLM fine-tuned on the Women's Clothing E-Commerce reviews (kind ``sentiment``).

Modules (what is not here is shared, one level up in ``shopmodels/sentiment``):
    config      SentimentConfig, every hyperparameter documented (no torch import)
    data        star ratings -> labels, review texts, the stratified held-out split
    model       the classifier: MiniLM encoder, mean pooling, linear head
    training    fine-tuning as a run of the shared loop: early stopping on validation macro-F1
    ensemble    its mix with a word TF-IDF + LR (``mixing.py``), fitted on validation
    mix_command ``shopstream train sentiment-mix``: the mix for an already trained checkpoint
    registry    save / load its checkpoints
    predictor   batched serving: label and calibrated P(positive) per review
    evaluation  its baseline (TF-IDF word 1-2 grams + LR), table and checkpoint row for `eval`
"""
