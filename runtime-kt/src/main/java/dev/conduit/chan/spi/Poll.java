package dev.conduit.chan.spi;

/**
 * The markers a channel kind's poll primitives return besides a value, and what a claimed send
 * entry is completed with. Compare them by identity.
 *
 * <p>For implementers of channel kinds ({@link ChannelSource}).
 */
public final class Poll {
    private Poll() {}

    /** The operation cannot proceed now: it would have to wait. */
    public static final Object NOT_READY = new Symbol("NOT_READY");

    /** The channel is closed (and, for a receive, drained). */
    public static final Object CLOSED = new Symbol("CLOSED");

    /**
     * A claim that tells the woken waiter to take (or put) the value itself: for kinds with a
     * single receiver or sender (see {@code ChannelSource.completeClaimed}).
     */
    public static final Object READY = new Symbol("READY");

    /** A send completed: its value was taken or buffered. */
    public static final Object SENT = new Symbol("SENT");

    /** A named marker object, printed by name. */
    static final class Symbol {
        private final String name;

        Symbol(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
