"""English review sentiment: a fine-tuned MiniLM classifier and its TF-IDF baseline.

Modules (import what you need; nothing heavy is imported here):
    data        star ratings -> labels, review texts, the stratified held-out split
    baseline    TF-IDF word 1-2 grams + logistic regression, chosen on validation
    config      SentimentConfig, every hyperparameter documented (no torch import)
    model       the classifier: MiniLM encoder, mean pooling, linear head
    training    seeded fine-tuning, early stopping on validation macro-F1, temperature
    registry    save / load sentiment checkpoints in the model registry
    predictor   batched serving: label and calibrated P(positive) per review
    evaluate    accuracy and macro-F1 on the held-out test split
"""
