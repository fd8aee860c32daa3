#!/usr/bin/env bash
# The copy writers on a lent GPU machine: the frames writer over the whole catalog, SmolLM2 on cuda and cpu.
#
# Needs only what that machine has (python3, torch, transformers) and the pack that
#   python -m bench.copy_gpu prepare
# writes into .shopstream/copy-gpu here (about 15 MB: code, catalog, SmolLM2's config and tokenizer,
# phonenumbers and english-words). Run it with that folder carried:
#   run `bash bench/gpu_copy.sh` with carry [".shopstream/copy-gpu"]
# No broker, Faust, pydantic or registry is needed. SmolLM2's weights do not fit in a carry: the model
# is built untrained from its config and writes exactly TOKENS tokens per product (tokens/s of the real
# architecture); set COPY_MODEL_DIR to a converted SmolLM2 directory on the machine for real weights.
# Output goes to $OUT/copy-<device>.txt ($OUT if set, else /tmp/shopstream-gpu). TOKENS defaults to 64.
set -u
cd "$(dirname "$0")/.."
pack=.shopstream/copy-gpu
results="${OUT:-/tmp/shopstream-gpu}"
mkdir -p "$results"
if [ ! -f "$pack/catalog.jsonl" ]; then
    echo "no pack at $pack: run 'python -m bench.copy_gpu prepare' first and carry $pack" >&2
    exit 2
fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | tee "$results/copy-gpu-info.txt"
status=0
for device in cuda cpu; do
    limit=$([ "$device" = cuda ] && echo 200 || echo 300)
    echo "=== copy on $device (limit ${limit}s)"
    (cd "$pack" && PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 timeout "$limit" python3 -m bench.copy_gpu run --device "$device" \
        --tokens "${TOKENS:-64}") 2>&1 | tee "$results/copy-$device.txt"
    rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then echo "--- copy on $device: FAILED (exit $rc)"; status=1; fi
done
echo "outputs in $results"
exit $status
