"""The TF-IDF + logistic regression baselines served as sentiment models, for either language.

The baseline every ``eval`` compares against (``shopmodels/sentiment/baseline.py``, with each
language's recipe) trains in seconds, so a shop, or ``shopstream demo``, can serve it from the
first minute and replace it with a better model later (the registry serves the newest version).
``shopstream train sentiment-tfidf`` fits it, calibrates it and chooses its neutral band on
validation, and saves it under the language's registry kind (``sentiment`` or ``sentiment-zh``),
where the stream's loader (``shopmodels/sentiment/serving.py``) finds it.

Modules:
    linear     the fitted pipeline as plain arrays (n-grams, idf, coefficients); scikit-learn's own
               analyzer turns texts into n-grams, so the scores equal the pipeline's
    model      fitting (setting, temperature, band, all on validation) and the predictor
    registry   saving and loading its checkpoints
    commands   ``shopstream train sentiment-tfidf``
"""
