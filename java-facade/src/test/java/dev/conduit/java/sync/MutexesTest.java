package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.DeadlineExceededException;
import dev.conduit.java.context.Contexts;
import dev.conduit.sync.Mutex;
import dev.conduit.sync.WaitGroup;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MutexesTest {
    private int counter;

    @Test
    void guardsACounterAcrossJavaGoroutines() throws Exception {
        Mutex mu = new Mutex();
        WaitGroup wg = new WaitGroup();
        for (int g = 0; g < 8; g++) {
            WaitGroups.go(wg, () -> {
                for (int i = 0; i < 2_000; i++) Mutexes.withLock(mu, () -> counter++);
            });
        }
        WaitGroups.await(wg);
        assertEquals(16_000, counter);
        assertTrue(mu.tryLock(), "the mutex is free again");
    }

    @Test
    void lockBoundedByAContextAndLoudUnlock() throws Exception {
        Mutex mu = new Mutex();
        assertTrue(mu.tryLock());
        try (CancelContext ctx = Contexts.withTimeout(Contexts.background(), Duration.ofMillis(20))) {
            assertThrows(DeadlineExceededException.class, () -> Mutexes.lock(mu, ctx));
        }
        mu.unlock();
        assertEquals("unlock of unlocked mutex", assertThrows(IllegalStateException.class, mu::unlock).getMessage());
    }
}
