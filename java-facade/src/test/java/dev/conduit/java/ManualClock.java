package dev.conduit.java;

import dev.conduit.Clock;
import dev.conduit.Stoppable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Virtual time for Java tests: time moves only in {@link #advance}, which runs every action that
 * has come due, in order of due time, on the calling thread (actions scheduled by actions run
 * too, if due). Thread-safe.
 */
public final class ManualClock implements Clock {
    private final Instant origin = Instant.parse("2024-01-01T00:00:00Z");
    private final List<Timer> timers = new ArrayList<>();
    private long nanos;

    private final class Timer implements Stoppable {
        final long due;
        final Runnable action;
        boolean done;

        Timer(long due, Runnable action) {
            this.due = due;
            this.action = action;
        }

        @Override
        public boolean stop() {
            synchronized (ManualClock.this) {
                if (done) return false;
                done = true;
                timers.remove(this);
                return true;
            }
        }
    }

    @Override
    public synchronized Instant now() {
        return origin.plusNanos(nanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Stoppable schedule(long delayNanos, Runnable action) {
        Timer t = new Timer(nanos + Math.max(0, delayNanos), action);
        timers.add(t);
        return t;
    }

    /** Moves time forward by {@code d}, running each action that comes due at its due time. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = nanos + d.toNanos();
        }
        while (true) {
            Timer next;
            synchronized (this) {
                next = null;
                for (Timer t : timers) if (t.due <= target && (next == null || t.due < next.due)) next = t;
                if (next == null) {
                    nanos = target;
                    return;
                }
                timers.remove(next);
                next.done = true;
                nanos = Math.max(nanos, next.due);
            }
            next.action.run();
        }
    }

    /** How many actions wait to come due. */
    public synchronized int pending() {
        return timers.size();
    }
}
