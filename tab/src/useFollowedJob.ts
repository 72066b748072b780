import { useEffect, useRef, useState } from 'react';

/**
 * Follows a durable job (bulk invitations, an import) until it finishes, polling every second. Its id is
 * kept in the browser under `storageKey`, so a reload of the tab finds the same progress again; a job that
 * no longer exists (or is not this user's firm's) is forgotten with the server's message.
 */
export function useFollowedJob<Job extends { id: string; status: string }>(
  storageKey: string,
  read: (id: string, signal: AbortSignal) => Promise<Job>,
  onFinished: () => void,
) {
  const [jobId, setJobId] = useState<string | null>(() => localStorage.getItem(storageKey));
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Read through refs: the poll must not restart each time the parent renders new callbacks.
  const finished = useRef(onFinished);
  finished.current = onFinished;
  const reader = useRef(read);
  reader.current = read;

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const next = await reader.current(jobId, controller.signal);
        if (stopped) return;
        setJob(next);
        if (next.status === 'finished') return finished.current();
      } catch (failure) {
        if (stopped) return;
        localStorage.removeItem(storageKey);
        setJobId(null);
        setError((failure as Error).message);
        return;
      }
      timer = setTimeout(poll, 1_000);
    };
    let timer = setTimeout(poll, 0);
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
    };
  }, [storageKey, jobId]);

  return {
    jobId,
    job,
    error,
    setError,
    /** Starts following a job the server just created. */
    follow(started: Job) {
      localStorage.setItem(storageKey, started.id);
      setJob(started);
      setJobId(started.id);
    },
    /** Stops following (the person closed the report). */
    forget() {
      localStorage.removeItem(storageKey);
      setJobId(null);
      setJob(null);
    },
  };
}
