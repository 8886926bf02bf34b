#!/bin/bash
# The Slurm round trip of `aimcsim sweep --backend slurm`, self-contained: starts a private munged, slurmctld
# and slurmd (single node, this machine) with a generated slurm.conf in a temporary directory, runs a 4-point
# sweep as a job array of 2 tasks, checks the merged results, and stops every daemon it started.
#   usage: slurm_roundtrip.sh AIMCSIM_BINARY REPO_ROOT
# Exit 0 = pass, 77 = skipped (the Slurm or munge binaries are absent), anything else = failure.
set -u
cli="$1"
root="$2"
for b in munged slurmctld slurmd sbatch sinfo scontrol; do
  if ! command -v "$b" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$b" ]; then
    echo "SKIP: '$b' not found (Debian packages slurm-wlm and munge)"
    exit 77
  fi
done
export PATH="$PATH:/usr/sbin"

t=$(mktemp -d /tmp/aimc_slurm.XXXXXX)
chmod 755 "$t"
mkdir -p "$t/state" "$t/spool" "$t/munge"
chmod 700 "$t/munge"
pids=()
cleanup() {
  for f in "$t/slurmd.pid" "$t/slurmctld.pid" "$t/munge/munged.pid"; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
  sleep 1
  for f in "$t/slurmd.pid" "$t/slurmctld.pid" "$t/munge/munged.pid"; do
    [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
  done
  if [ "${keep:-0}" = 1 ]; then echo "logs kept in $t"; else rm -rf "$t"; fi
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for log in "$t"/*.log "$t"/r.db.slurm/*.log; do
    [ -f "$log" ] && { echo "---- $log"; tail -n 20 "$log"; }
  done
  keep=1
  exit 1
}

# munge with its own key and socket (the system's munged, if any, is left alone).
dd if=/dev/urandom of="$t/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$t/munge/munge.key"
sock="$t/munge/munge.socket"
munged --force --key-file="$t/munge/munge.key" --socket="$sock" --pid-file="$t/munge/munged.pid" \
  --log-file="$t/munged.log" --seed-file="$t/munge/munged.seed" || fail "munged did not start"

host=$(hostname -s)
cpus=$(nproc)
# Ports from the PID so that two runs (two build trees) do not collide.
port=$((20000 + ($$ % 20000)))
cat >"$t/slurm.conf" <<CONF
ClusterName=aimctest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$t/state
SlurmdSpoolDir=$t/spool
SlurmctldPidFile=$t/slurmctld.pid
SlurmdPidFile=$t/slurmd.pid
SlurmctldLogFile=$t/slurmctld.log
SlurmdLogFile=$t/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SchedulerType=sched/backfill
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=aimc Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$t/slurm.conf"
slurmctld -c -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" -N "$host" || fail "slurmd did not start"
for _ in $(seq 60); do
  state=$(sinfo -h -o %t 2>/dev/null | head -n1)
  case "$state" in idle*|mix*|alloc*) break ;; esac
  sleep 0.5
done
case "$state" in idle*|mix*|alloc*) ;; *) fail "the node did not come up (state '$state')" ;; esac
echo "slurm up: node $host, $cpus CPUs, state $state"

cat >"$t/sweep.yaml" <<YAML
name: slurmtest
base: $root/configs/quickstart.yaml
set:
  workload.batch: 10
  core.adc.kind: sar
axes:
  core.adc.bits: [6, 8]
  seed: [1, 2]
metrics:
  latency: latency.first_sample_ns
  energy: energy.per_inference_j
YAML
timeout 300 "$cli" sweep "$t/sweep.yaml" --backend slurm --chunk 2 --db "$t/r.db" >"$t/sweep.log" 2>&1 ||
  fail "aimcsim sweep --backend slurm failed"
cat "$t/sweep.log"
shards=$(ls "$t"/r.db.slurm/shard_*.db 2>/dev/null | wc -l)
[ "$shards" = 2 ] || fail "expected 2 shards (one per array task), found $shards"
grep -q "merged 2 shards (4 points)" "$t/sweep.log" || fail "merge did not report 4 points"
"$cli" results export "$t/r.db" --csv "$t/r.csv" || fail "export failed"
ok=$(grep -c ',ok,' "$t/r.csv")
[ "$ok" = 4 ] || fail "expected 4 ok points, found $ok"
rows=$(($(wc -l <"$t/r.csv") - 1))
[ "$rows" = 4 ] || fail "expected 4 rows, found $rows"
# Started again, nothing is submitted: every point is done.
timeout 120 "$cli" sweep "$t/sweep.yaml" --backend slurm --chunk 2 --db "$t/r.db" >"$t/sweep2.log" 2>&1 ||
  fail "second sweep failed"
grep -q "all 4 points already done" "$t/sweep2.log" || fail "the second sweep did not find every point done"
echo "PASS: 4 points through a 2-task Slurm job array, merged, exported"
