"""Redact personal data from review text before it leaves ShopStream.

The implementation lives in ``shopmodels/pii.py``, shared with the copy guardrails (which must not
import ``streams``); its docstring lists exactly what is and is not caught.
"""

from shopmodels.pii import EXTRA_PHONE_REGIONS, TOKENS, Redaction, excerpt, redact

__all__ = ["EXTRA_PHONE_REGIONS", "TOKENS", "Redaction", "excerpt", "redact"]
