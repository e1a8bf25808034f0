package dev.conduit.samples;

import dev.conduit.java.sync.Mutex;
import dev.conduit.java.sync.WaitGroup;
import java.io.PrintStream;

/** The classic exercise: a mutex made of a one-slot channel guards a shared counter. */
public final class ChannelMutex implements Sample {
    private long counter;

    @Override
    public String title() {
        return "a channel-built mutex guarding a counter";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Mutex mu = Mutex.create();
        WaitGroup wg = WaitGroup.create();
        for (int g = 0; g < 10; g++) {
            wg.go(() -> {
                for (int i = 0; i < 1_000; i++) mu.withLock(() -> counter++);
            });
        }
        wg.await();
        out.println("10 goroutines x 1,000 increments under the mutex: counter = " + counter);
    }

    public static void main(String[] args) throws Exception {
        new ChannelMutex().run(System.out);
    }
}
