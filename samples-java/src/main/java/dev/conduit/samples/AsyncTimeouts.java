package dev.conduit.samples;

import dev.conduit.java.chan.Channel;
import dev.conduit.java.sync.Mutex;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Futures that give up without losing anything: a receive abandoned by a timeout (its own, or
 * {@code orTimeout} on a stage built on it) is withdrawn, so the value sent next goes to the
 * next receiver; a lock request abandoned the same way never ends up holding the lock.
 */
public final class AsyncTimeouts implements Sample {
    @Override
    public String title() {
        return "async calls that time out and lose nothing";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Channel<String> replies = Channel.create(1);
        CompletableFuture<String> impatient = replies.receiveAsync(Duration.ofMillis(20));
        out.println("receiveAsync(20 ms): " + outcome(impatient));
        CompletableFuture<Integer> length = replies.receiveAsync().thenApply(String::length).orTimeout(20, TimeUnit.MILLISECONDS);
        out.println("receiveAsync().thenApply(..).orTimeout(20 ms): " + outcome(length));
        replies.send("late reply");
        out.println("the next receive still gets it: " + replies.receive());

        Mutex mu = Mutex.create();
        mu.lock();
        CompletableFuture<Void> request = mu.lockAsync().orTimeout(20, TimeUnit.MILLISECONDS);
        out.println("lockAsync().orTimeout(20 ms) while held: " + outcome(request));
        mu.unlock();
        out.println("after unlock the abandoned request does not hold it: locked = " + mu.isLocked());
    }

    /** How {@code f} ended, in words. */
    private static String outcome(CompletableFuture<?> f) throws InterruptedException {
        try {
            return "got " + f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause() instanceof TimeoutException ? "timed out" : "failed: " + e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the future never ended", e);
        }
    }

    public static void main(String[] args) throws Exception {
        new AsyncTimeouts().run(System.out);
    }
}
