package dev.conduit.chan.spi

/**
 * A channel kind made of several [ChannelSource]s (the lanes of a sharded channel, the batch
 * channel's queue of batches, the partitions of a remote channel): a select case on it waits
 * on its parts, and counts as one case for fairness.
 *
 * A receive case on a group takes a value from any part (trying them from a different part
 * each time), and is "closed" only when every part is closed and drained. For that to be exact,
 * a group closes all its parts at once, with all their locks held.
 *
 * For implementers of channel kinds.
 */
public interface ChannelGroup {
    /** The channels a receive case waits on. The same parts every call; never empty. */
    public fun receiveParts(): Array<out ChannelSource>

    /**
     * The channel a send of [element] goes to now (for a sharded channel, the calling thread's
     * lane).
     *
     * @throws UnsupportedOperationException if the group cannot be sent to.
     */
    public fun sendPart(element: Any?): ChannelSource
}

/**
 * Locks all of [parts] (in lock order), runs [action] on each with every lock held, then
 * releases them all and only then wakes the waiters decided meanwhile. For a group that closes
 * its parts at once.
 */
internal fun lockAllThen(parts: Array<out ChannelSource>, action: (ChannelSource) -> Unit) {
    val sorted = parts.sortedBy { it.lockOrder() }
    for (p in sorted) p.lock()
    try {
        for (p in sorted) action(p)
    } finally {
        var wakes: Waiter? = null
        for (p in sorted) {
            val w = p.unlockDeferringWakes() ?: continue
            var tail: Waiter = w
            while (tail.nextWake() != null) tail = tail.nextWake()
            tail.setNextWake(wakes)
            wakes = w
        }
        if (wakes != null) Waiter.wakeAll(wakes)
    }
}
