package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread blocked on a channel inside a {@link ForkJoinPool} must not starve the pool: with
 * one worker, the task that would wake it can only run if the pool compensates, which it does
 * only for a wait through {@link ForkJoinPool#managedBlock}.
 */
@Timeout(60)
class ForkJoinWorkerTest {
    @Test
    void blockedReceiverOnTheOnlyWorkerLetsTheSenderRun() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            Channel<String> ch = Channel.create();
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return ch.receive();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, pool);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    ch.send("hand-off");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, pool);
            assertEquals("hand-off", received.get(30, TimeUnit.SECONDS));
            sent.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void timedWaitAndInterruptOnAWorkerStillEndTheWait() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            Channel<String> ch = Channel.create();
            CompletableFuture<Throwable> timedOut = CompletableFuture.supplyAsync(
                    () -> assertThrows(TimeoutException.class, () -> ch.receive(Duration.ofMillis(20))), pool);
            assertTrue(timedOut.get(30, TimeUnit.SECONDS) instanceof TimeoutException);

            CompletableFuture<Boolean> interrupted = CompletableFuture.supplyAsync(() -> {
                Thread.currentThread().interrupt();
                assertThrows(InterruptedException.class, ch::receive);
                return Thread.currentThread().isInterrupted();
            }, pool);
            assertFalse(interrupted.get(30, TimeUnit.SECONDS), "InterruptedException clears the flag");
            assertEquals(0, ch.len());
            assertFalse(ch.trySend("x"), "no receiver was left queued");
        } finally {
            pool.shutdownNow();
        }
    }
}
