package dev.conduit.java.supervisor;

/**
 * A cleanup registered with {@code defer} ({@link ManagedGoroutine#defer(Cleanup)},
 * {@link GoroutineManager#defer(Cleanup)}): runs once, when its goroutine or manager ends,
 * however it ends, last registered first. It runs on a goroutine thread and may block; it is not
 * interrupted by a force-cancel. What it throws is reported as an error of its goroutine (or
 * manager), and the other cleanups still run.
 */
@FunctionalInterface
public interface Cleanup {
    /**
     * Releases what the goroutine or manager held.
     *
     * @throws Exception a failure of the cleanup, reported with its goroutine's name
     */
    void run() throws Exception;
}
