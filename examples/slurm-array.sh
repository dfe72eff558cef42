#!/bin/bash
# A partitioned mmcheck run as a Slurm job array: task i runs part i of 4, its index read
# from SLURM_ARRAY_TASK_ID by `--partitions 4`; a dependent job merges the parts
# (docs/distributed.md). Submit from the repository root, built (npx tsc -p tsconfig.json):
#   sbatch examples/slurm-array.sh
#SBATCH --job-name=mmcheck-parts
#SBATCH --array=0-3
#SBATCH --cpus-per-task=1
#SBATCH --output=parts/%a.log
set -u
SPEC=${SPEC:-specs/bench/fault-vs-munmap.mmspec}
mkdir -p parts
node bin/mmcheck.js explore "$SPEC" --partitions 4 --result-out "parts/$SLURM_ARRAY_TASK_ID.json"
code=$?
# The last task to start submits the merge, to run once every task of the array has ended.
if [ "$SLURM_ARRAY_TASK_ID" = 3 ]; then
  sbatch --dependency="afterany:$SLURM_ARRAY_JOB_ID" --job-name=mmcheck-merge --output=parts/merge.log \
    --wrap="node bin/mmcheck.js merge parts/*.json"
fi
# 1 (a violation) is a result for the merge; 2 (a usage error) fails the task.
[ "$code" -ne 2 ]
