/** How often the parent is checked: a stopped job frees its cores within about a second. */
const CHECK_MS = 1000

/**
 * Whether this process should stop when its parent dies. `npx dpt` / `npm exec` (npm puts npm_command in the
 * environment of what it runs) do not pass SIGTERM on: `scancel` or `kill` of npm ends npm and leaves dpt
 * running on the node with no one to wait for it. The child dpt starts itself as (src/process/respawn.ts) has
 * only dpt for a parent. A dpt started from a shell is left alone: `nohup dpt … &` is meant to outlive it.
 */
export function stopsWithParent(env: NodeJS.ProcessEnv): boolean {
  return env['npm_command'] !== undefined || env['DPT_RESPAWNED'] === '1'
}

/**
 * Sends this process SIGTERM, the path on which a run stops cleanly (workers ended, temporary files removed),
 * once its parent has died: the parent pid then changes (to init or a subreaper). The timer never keeps the
 * process alive.
 */
export function stopWhenOrphaned(): void {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    process.kill(process.pid, 'SIGTERM')
  }, CHECK_MS)
  timer.unref()
}
