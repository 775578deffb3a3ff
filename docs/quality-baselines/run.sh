#!/usr/bin/env bash
# Baselines at equal fine-tuning cost (docs/quality-baselines.md): for each budget and method, distil with the
# README recipe of the data set, then evaluate FD (and precision/recall/density/coverage) at NFE 2 on the same
# seeds; the full table (NFE 2..5) for the largest budget; SFD's second stage from the largest SFD student.
# Usage: docs/quality-baselines/run.sh mixture2d|shapes OUTDIR "BUDGETS" [SECOND_STAGE_BUDGET]
# Writes OUTDIR/times.tsv (dataset method budget trainer_seconds teacher_calls adam_steps fd_nfe2) and the logs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ds="$1"; out="$2"; budgets="$3"; second="${4:-0}"
mkdir -p "$out"
case "$ds" in
  mixture2d) recipe=(--nfe-set 2,3,4,5 --solver dpm++2m --k 8 --batch 64)
             eval=(--samples 4000 --high-nfe 64) ;;
  shapes)    recipe=(--nfe-set 2,3,4,5 --solver dpm++2m --k 4 --batch 32 --lr 3e-4)
             eval=(--samples 1000 --high-nfe 32 --omegas 1 --threads 2) ;;
  *) echo "unknown data set $ds" >&2; exit 2 ;;
esac
# SFD_JAR: a copy of sfd-cli.jar (with its lib/) to measure with while the worktree rebuilds; default the worktree's
sfd() { SFD_MODELS_DIR="$root/models" SFD_HOME="$root" java -jar "${SFD_JAR:-$root/sfd-cli/target/sfd-cli.jar}" "$@"; }
last=""
for b in $budgets; do
  for m in sfd td cd; do
    s="$out/$ds-$m-$b.onnx"
    sfd distill --teacher "$ds" --method "$m" "${recipe[@]}" --budget "$b" --seed 0 --no-progress --out "$s" \
      > "$out/$ds-$m-$b.distill.log" 2>&1
    line=$(grep '^distilled in' "$out/$ds-$m-$b.distill.log")
    secs=$(sed -E 's/distilled in ([0-9.]+) s.*/\1/' <<<"$line")
    calls=$(sed -E 's/.* ([0-9]+) teacher calls.*/\1/' <<<"$line")
    steps=$(sed -E 's/.* ([0-9]+) Adam steps.*/\1/' <<<"$line")
    sfd evaluate --student "$s" --teacher "$ds" --nfe 2 "${eval[@]}" --plot "$out/$ds-$m-$b-fd.png" \
      > "$out/$ds-$m-$b.eval2.log" 2>&1 || true
    fd=$(awk '/ FD \(/{getline; getline; print $(NF-1); exit}' "$out/$ds-$m-$b.eval2.log")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ds" "$m" "$b" "$secs" "$calls" "$steps" "$fd" | tee -a "$out/times.tsv"
  done
  last="$b"
done
for m in sfd td cd; do
  sfd evaluate --student "$out/$ds-$m-$last.onnx" --teacher "$ds" --nfe 2,3,4,5 "${eval[@]}" \
    --plot "$out/$ds-$m-$last-fd-full.png" > "$out/$ds-$m-$last.eval.log" 2>&1
done
if [ "$second" != "0" ]; then
  s1="$out/$ds-sfd-$last.onnx"; s2="$out/$ds-sfd-$last-second-stage-$second.onnx"
  lr=(); [ "$ds" = shapes ] && lr=(--lr 3e-4)
  bs=64; [ "$ds" = shapes ] && bs=32
  sfd distill --teacher "$s1" --second-stage --batch "$bs" "${lr[@]}" --budget "$second" --seed 0 --no-progress \
    --out "$s2" > "$out/$ds-second-stage.distill.log" 2>&1
  sfd evaluate --student "$s2" --teacher "$ds" --nfe 1,2 "${eval[@]}" --plot "$out/$ds-second-stage-fd.png" \
    > "$out/$ds-second-stage.eval.log" 2>&1
fi
echo done
