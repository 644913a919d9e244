#!/usr/bin/env bash
# A real single-node Slurm on this machine from Debian's packages (slurm-wlm 22.05 on bookworm), to run the
# recipes in tools/slurm/ as a cluster user would. Run as root; safe to run again. No systemd is needed: the
# daemons are started directly. What it sets up:
#   - munge (Slurm's authentication), with the key the package generated;
#   - slurmctld and slurmd on this host, one partition `main` with every core of this machine;
#   - cores as the consumable resource (select/cons_tres, CR_Core), so array tasks asking `-c 1` share the node;
#   - proctrack/linuxproc (no cgroups needed), and jobcomp/filetxt so that `sacct --completion` lists finished
#     jobs without a database.
# Stop it with: tools/slurm/setup-single-node.sh stop
set -euo pipefail

conf=/etc/slurm/slurm.conf
pids=(/run/slurmctld.pid /run/slurmd.pid /run/munge/munged.pid)

if [[ "${1:-}" == stop ]]; then
  for pid in "${pids[@]}"; do [[ -s $pid ]] && kill "$(cat "$pid")" 2>/dev/null || true; done
  exit 0
fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge
fi

host=$(hostname -s)
mkdir -p /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm /run/munge
chown slurm:slurm /var/lib/slurm/slurmctld /var/log/slurm
chown munge:munge /run/munge
[[ -s /etc/munge/munge.key ]] || runuser -u munge -- mungekey --create

# The node line is the hardware slurmd itself detects (CPUs, sockets, cores, memory).
cat >"$conf" <<CONF
ClusterName=dpt-single
SlurmctldHost=$host
SlurmUser=slurm
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
ReturnToService=2
KillWait=10
$(slurmd -C | head -n 1) State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

running() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
running /run/munge/munged.pid || runuser -u munge -- munged
running /run/slurmctld.pid || slurmctld
running /run/slurmd.pid || slurmd

for _ in $(seq 30); do
  if sinfo -h -o '%t' 2>/dev/null | grep -qx idle; then
    sinfo
    exit 0
  fi
  sleep 1
done
echo "slurm did not come up: see /var/log/slurm/slurmctld.log and slurmd.log" >&2
exit 1
