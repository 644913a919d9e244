/** How often the lifelines are checked: a cancelled job frees its cores within about a second. */
const CHECK_MS = 1000

/** What this process lives by: it stops once its parent has changed, or once a given process has ended. */
export interface Lifelines {
  readonly parent?: number
  readonly process?: number
}

/**
 * What tells dpt that the job it ran for is gone, though no signal reached it:
 * - in a Slurm job, the task's process (SLURM_TASK_PID, the batch script): `scancel` ends that script, and on
 *   this project's single-node Slurm (proctrack/linuxproc) an `npx dpt` under it was not signalled at all and
 *   ran on (npm, sh and dpt), taking cores Slurm had given to the next job;
 * - under `npx` / `npm exec` (npm puts npm_command in the environment of what it runs), the parent: npm does
 *   not pass SIGTERM on, so killing npm left dpt running;
 * - in the child dpt starts itself as (src/process/respawn.ts, DPT_RESPAWNED), the parent dpt.
 * Otherwise nothing: `nohup dpt … &` is meant to outlive the shell that started it.
 */
export function lifelines(env: NodeJS.ProcessEnv, self: {readonly pid: number; readonly ppid: number}): Lifelines {
  const task = Number(env['SLURM_TASK_PID'])
  const watchTask = Number.isInteger(task) && task > 0 && task !== self.pid
  const watchParent = env['npm_command'] !== undefined || env['DPT_RESPAWNED'] === '1'
  return {...(watchParent ? {parent: self.ppid} : {}), ...(watchTask ? {process: task} : {})}
}

/**
 * Sends this process SIGTERM, the path on which a run stops cleanly (workers ended, temporary files removed),
 * once a lifeline is cut: the parent pid changed (the parent died; init or a subreaper took over) or the
 * watched process no longer exists. The timer never keeps the process alive.
 */
export function stopWhenCut(lines: Lifelines): void {
  if (lines.parent === undefined && lines.process === undefined) return
  const timer = setInterval(() => {
    if ((lines.parent === undefined || process.ppid === lines.parent) && (lines.process === undefined || alive(lines.process))) return
    clearInterval(timer)
    process.kill(process.pid, 'SIGTERM')
  }, CHECK_MS)
  timer.unref()
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
