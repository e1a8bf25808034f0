package dev.conduit.java;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.java.chan.Channel;
import dev.conduit.java.sync.Mutex;
import java.time.Duration;

/**
 * Two goroutines that lock two mutexes in opposite orders, each taking its second only once the
 * other holds its first: a lock cycle, for the tests of deadlock detection. {@link #close}
 * cancels both and joins them (bounded).
 */
public final class LockCycle implements AutoCloseable {
    private final Goroutine a;
    private final Goroutine b;

    private LockCycle(Goroutine a, Goroutine b) {
        this.a = a;
        this.b = b;
    }

    /** Starts the cycle on {@code first} and {@code second}. Never blocks. */
    public static LockCycle start(Mutex first, Mutex second) {
        return start(first, second, false);
    }

    /**
     * Starts the cycle; if {@code firstByTry}, the goroutine that takes {@code first} first
     * takes it with {@code tryLock()} (free then, so it gets it). Never blocks.
     */
    public static LockCycle start(Mutex first, Mutex second, boolean firstByTry) {
        Channel<Boolean> firstHeld = Channel.create(1);
        Channel<Boolean> secondHeld = Channel.create(1);
        return new LockCycle(inOrder(first, second, firstHeld, secondHeld, firstByTry), inOrder(second, first, secondHeld, firstHeld, false));
    }

    /** A goroutine that locks {@code mine} ({@code byTry}: with tryLock), says so on {@code held}, waits for {@code other}'s word, then locks {@code then}. */
    private static Goroutine inOrder(Mutex mine, Mutex then, Channel<Boolean> held, Channel<Boolean> other, boolean byTry) {
        return Go.go(() -> {
            if (byTry) {
                if (!mine.tryLock()) throw new IllegalStateException(mine + " was not free");
            } else {
                mine.lock();
            }
            held.send(true);
            other.receive();
            then.lock();
        });
    }

    /** Cancels both goroutines and waits (up to 30 s each) for them to end. Blocks. */
    @Override
    public void close() throws InterruptedException {
        a.cancel();
        b.cancel();
        assertTrue(a.join(Duration.ofSeconds(30)), "the cycle's first goroutine ended");
        assertTrue(b.join(Duration.ofSeconds(30)), "the cycle's second goroutine ended");
    }
}
