package dev.conduit.java.sync;

import dev.conduit.java.chan.Channel;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.java.chan.Interrupting;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OnceValueTest {
    @Test
    void keepsTheValue() throws Exception {
        AtomicInteger computed = new AtomicInteger();
        OnceValue<String> config = OnceValue.create(() -> "loaded #" + computed.incrementAndGet());
        assertEquals(0, computed.get(), "nothing is computed before the first get");
        assertEquals("loaded #1", config.get());
        assertEquals("loaded #1", config.get());
        assertEquals("loaded #1", config.getAsync().get(10, TimeUnit.SECONDS));
        assertEquals(1, computed.get());
    }

    @Test
    void computesOnceForManyGoroutines() throws Exception {
        AtomicInteger computed = new AtomicInteger();
        OnceValue<Integer> value = OnceValue.create(computed::incrementAndGet);
        AtomicInteger sum = new AtomicInteger();
        WaitGroup wg = WaitGroup.create();
        for (int i = 0; i < 20; i++) wg.go(() -> sum.addAndGet(value.get()));
        wg.await();
        assertEquals(1, computed.get());
        assertEquals(20, sum.get());
    }

    @Test
    void keepsACheckedFailureWrappedAndAnUncheckedOneAsItIs() throws Exception {
        OnceValue<String> broken = OnceValue.create(() -> {
            throw new IOException("config file missing");
        });
        TaskFailedException first = assertThrows(TaskFailedException.class, broken::get);
        assertInstanceOf(IOException.class, first.getCause());
        assertEquals("the computation failed: java.io.IOException: config file missing", first.getMessage());
        assertSame(first.getCause(), assertThrows(TaskFailedException.class, broken::get).getCause(), "the same failure every time");
        ExecutionException async = assertThrows(ExecutionException.class, () -> broken.getAsync().get(10, TimeUnit.SECONDS));
        assertSame(first.getCause(), async.getCause(), "the future carries it unwrapped");

        IllegalStateException bad = new IllegalStateException("bad config");
        OnceValue<String> unchecked = OnceValue.create(() -> {
            throw bad;
        });
        IllegalStateException thrown = assertThrows(IllegalStateException.class, unchecked::get);
        // The computation's own exception, though tests run with -ea (kotlinx.coroutines' debug
        // mode, whose stack-trace recovery copies exceptions that leave a withContext).
        assertSame(bad, thrown, "the computation's own exception");
        assertSame(thrown, assertThrows(IllegalStateException.class, unchecked::get), "the same failure every time");
    }

    @Test
    void aComputationCutShortByAnInterruptIsNotKept() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        OnceValue<Integer> value = OnceValue.create(() -> {
            if (attempts.incrementAndGet() == 1) {
                firstStarted.countDown();
                Channel.create().receive(); // blocks until its thread is interrupted
            }
            return attempts.get();
        });
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(firstStarted, value::get));
        assertEquals(2, value.get(), "the next get computes again");
    }

    @Test
    void cancellingAGetAsyncInterruptsTheComputation() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        OnceValue<Integer> value = OnceValue.create(() -> {
            if (attempts.incrementAndGet() == 1) {
                started.countDown();
                Channel.create().receive();
            }
            return attempts.get();
        });
        CompletableFuture<Integer> f = value.getAsync();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(f.cancel(true));
        assertEquals(2, value.get(), "the cancelled computation was not kept");
    }

    @Test
    void wrapAndUnwrapShareOneValue() throws Exception {
        OnceValue<String> made = OnceValue.create(() -> "v");
        OnceValue<String> view = OnceValue.wrap(made.unwrap());
        assertSame(made.unwrap(), view.unwrap());
        assertEquals("v", view.get());
        assertEquals("v", made.get());
    }

    @Test
    void badInputs() {
        BadInputs.check(
                row("create(null)", NullPointerException.class, "compute", () -> OnceValue.create(null)),
                row("wrap(null)", NullPointerException.class, "core", () -> OnceValue.wrap(null)));
    }
}
