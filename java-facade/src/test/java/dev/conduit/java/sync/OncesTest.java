package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.sync.Once;
import dev.conduit.sync.OnceValue;
import dev.conduit.sync.WaitGroup;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OncesTest {
    @Test
    void runsOnceAcrossJavaGoroutines() throws Exception {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        WaitGroup wg = new WaitGroup();
        for (int i = 0; i < 50; i++) WaitGroups.go(wg, () -> Onces.run(once, runs::incrementAndGet));
        WaitGroups.await(wg);
        assertEquals(1, runs.get());
        assertTrue(once.isDone());
    }

    @Test
    void onceValueKeepsTheValueOrTheFailure() throws Exception {
        AtomicInteger computed = new AtomicInteger();
        OnceValue<String> config = Onces.value(() -> "loaded #" + computed.incrementAndGet());
        assertEquals("loaded #1", Onces.get(config));
        assertEquals("loaded #1", Onces.get(config));
        OnceValue<String> broken = Onces.value(() -> {
            throw new java.io.IOException("config file missing");
        });
        Exception first = assertThrows(java.io.IOException.class, () -> Onces.get(broken));
        assertSame(first, assertThrows(java.io.IOException.class, () -> Onces.get(broken)));
    }
}
