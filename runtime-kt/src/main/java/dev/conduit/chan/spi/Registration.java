package dev.conduit.chan.spi;

/** Where a waiter is queued: one channel for a single operation, several for a select. */
interface Registration {
    /**
     * Decides {@code w} for {@code reason} and takes all its entries out of their queues, with
     * their channels locked; {@code false} if it was already decided (claimed, or withdrawn).
     */
    boolean withdraw(Waiter w, Object reason);
}
