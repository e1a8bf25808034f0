package dev.conduit.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A ring of threads passing one token: member {@code i} receives from link {@code i} and sends
 * to link {@code i + 1} (the last member's out-link is link 0), so at any moment one member
 * runs and every other one waits on its link, and each hop is one hand-off from a thread that
 * then goes to wait to one that was waiting. {@link #run(int)} puts a token into link 0 that
 * makes a given number of hops and waits until its last receiver signals.
 *
 * <p>The threads are made once, for the ring's life, like a {@link Crew}'s, but they need no
 * rounds: between runs every member is parked on its link, which is the state a footprint
 * measures, and a {@code Crew}'s {@code Phaser} would add its own parking to each thread's
 * stack. The token is an object whose counter the receivers count down, so no hop boxes a value
 * and what {@code -prof gc} reports per hop is the links' own allocation. Not thread-safe: one
 * thread drives a ring.
 */
final class TokenRing implements AutoCloseable {
    /** One link of the ring, an unbuffered channel or queue of tokens. */
    interface Link {
        /** Hands {@code token} to the link's receiver, blocking until it has taken it. */
        void send(Token token) throws InterruptedException;

        /** Takes the next token, blocking until one is sent. */
        Token receive() throws InterruptedException;
    }

    /** What goes round: the hops it still has to make. */
    static final class Token {
        int hopsLeft;
    }

    /** Ends the ring: each member passes it on (the last one does not) and returns. */
    private static final Token STOP = new Token();

    private final Link[] links;
    private final Thread[] members;
    private final Token token = new Token();
    private final Semaphore done = new Semaphore(0);
    private final AtomicInteger entered = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * Starts {@code size} threads from {@code threads}, each going to wait on its link, the
     * {@code size} links made by {@code link}. Never blocks ({@link #awaitParked()} waits until
     * the threads are there).
     *
     * @throws IllegalArgumentException if {@code size} < 2
     */
    TokenRing(ThreadFactory threads, int size, Supplier<Link> link) {
        if (size < 2) throw new IllegalArgumentException("size must be >= 2, but was " + size);
        links = new Link[size];
        for (int i = 0; i < size; i++) links[i] = link.get();
        members = new Thread[size];
        for (int i = 0; i < size; i++) {
            int member = i;
            members[i] = threads.newThread(() -> member(member));
            members[i].start();
        }
    }

    private void member(int i) {
        Link in = links[i];
        Link out = links[i + 1 == links.length ? 0 : i + 1];
        entered.incrementAndGet();
        try {
            while (true) {
                Token t = in.receive();
                if (t == STOP) {
                    if (i + 1 < links.length) out.send(STOP);
                    return;
                }
                if (t.hopsLeft == 0) {
                    done.release();
                } else {
                    t.hopsLeft--;
                    out.send(t);
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            done.release(); // the token is lost: let run() report it rather than wait for ever
        }
    }

    /**
     * Waits until every member is parked on its link (polling every millisecond): the ring at
     * rest, with no token in it. Blocks.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void awaitParked() throws InterruptedException {
        while (entered.get() < members.length || !allWaiting()) Thread.sleep(1);
    }

    private boolean allWaiting() {
        for (Thread t : members) {
            if (t.getState() != Thread.State.WAITING) return false;
        }
        return true;
    }

    /**
     * Sends the token into link 0 from the calling thread and waits until it has made
     * {@code hops} hops between members. Blocks.
     *
     * @throws InterruptedException if interrupted while sending or waiting
     * @throws IllegalStateException if a member's send or receive threw, with that as the cause
     */
    void run(int hops) throws InterruptedException {
        token.hopsLeft = hops;
        links[0].send(token);
        done.acquire();
        Throwable e = failure.get();
        if (e != null) throw new IllegalStateException("a ring member failed", e);
    }

    /**
     * Sends the stop token round (or, once a member has failed and the ring is broken,
     * interrupts every member) and waits for every member's thread to end. Call when no token is
     * going round. Blocks.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public void close() throws InterruptedException {
        if (failure.get() == null) {
            links[0].send(STOP);
        } else {
            for (Thread t : members) t.interrupt();
        }
        for (Thread t : members) t.join();
    }
}
