package dev.plumb.engine;

/**
 * The lock that keeps runs that change one host from interleaving, across every process on that host: the agent's
 * lock file in production. The engine takes it for each run that changes the host, unless a caller already holds it
 * through {@link Engine#holdHost}.
 */
public interface HostLock {

    /** No lock across processes: the engine's runs still take turns among themselves. For tests of the engine alone. */
    HostLock NONE = () -> () -> { };

    /** Takes the lock, waiting as long as this lock was told to; the returned handle releases it. */
    Held acquire() throws HostLockException;

    /** A taken lock. */
    interface Held extends AutoCloseable {

        /** Releases the lock; closing never fails, since the kernel releases a lock file's lock with its handle. */
        @Override
        void close();
    }
}
