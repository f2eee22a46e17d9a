/**
 * Calls `onGone` once when the process that started this one exits. On Linux an orphan is
 * re-parented (to init or a subreaper), so a changed `process.ppid` means the parent died:
 * a process manager that killed `npm` outright must not leave the server running with its
 * calls up. The check runs every `intervalMs` on an unref'd timer, so it never keeps the
 * process alive. Returns a function that stops watching.
 */
export function watchParent(onGone: () => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
