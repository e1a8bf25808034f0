package dev.conduit.java.sync;

/**
 * A block of code that may throw {@code X}: what {@link Locker#withLock} (of a {@link Mutex} or
 * either side of an {@link RWMutex}) and {@link Once#run} run. Java infers {@code X} from the lambda
 * ({@code RuntimeException} if it throws nothing checked), and those methods throw exactly that,
 * so a lambda that blocks on a {@link Cond} or a channel may throw {@link InterruptedException}
 * without a try block and without making the caller catch {@code Exception}.
 *
 * <pre>{@code
 * mu.withLock(() -> {
 *     while (queue.isEmpty()) notEmpty.await();   // X = InterruptedException
 *     queue.removeFirst();
 * });
 * }</pre>
 *
 * @param <X> the checked exception the block may throw
 */
@FunctionalInterface
public interface Action<X extends Exception> {
    /**
     * Runs the block.
     *
     * @throws X what the block throws
     */
    void run() throws X;
}
